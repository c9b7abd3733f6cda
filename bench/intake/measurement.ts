import type { RssReport } from '../rss-sampler.ts';

/** What each intake variant reports back from its own process. */
export interface IntakeMeasurement {
  images: number;
  seconds: number;
  imagesPerSecond: number;
  /** CPU time of the whole process (all threads) per image: unlike throughput, not skewed by
   *  other load on the machine; 1000 x cores / this is the throughput an idle machine allows. */
  cpuMsPerImage: number;
  rss: RssReport;
}

/** Starts the clocks; the returned function stops them and fills in the timing fields. */
export function startClocks(): (images: number) => Pick<IntakeMeasurement, 'images' | 'seconds' | 'imagesPerSecond' | 'cpuMsPerImage'> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return (images) => {
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { images, seconds, imagesPerSecond: images / seconds, cpuMsPerImage: (used.user + used.system) / 1000 / images };
  };
}
