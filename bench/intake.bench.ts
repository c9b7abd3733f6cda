// Intake throughput and memory on 1,000 distinct 1024x1024 PNGs, against a naive sequential
// reference doing the same work, measured in the same run on the same files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark } from './benchmark.ts';
import { runIsolated } from './isolated.ts';
import type { IntakeMeasurement } from './intake/measurement.ts';
import { ensureSyntheticPngs } from './synthetic-images.ts';

const IMAGES = Number(process.env.BENCH_INTAKE_IMAGES ?? 1000);
const SIZE = 1024;
/** Bump when synthetic-images.ts changes, so a stale cache is not reused. */
const GENERATOR_VERSION = 1;
const cacheDir = path.join(os.tmpdir(), 'modelprint-bench-cache', `png-${SIZE}-v${GENERATOR_VERSION}`);
const TARGET_IMAGES_PER_SECOND = 40;

/** Reads every file once so both variants start with the same (warm) page cache. */
async function warmPageCache(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) bytes += (await fs.promises.readFile(file)).length;
  return bytes;
}

async function measure(script: string, imageDir: string): Promise<IntakeMeasurement> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-bench-'));
  try {
    return await runIsolated<IntakeMeasurement>(path.join(import.meta.dirname, 'intake', script), [imageDir, scratch]);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export const intakeBenchmark: Benchmark = {
  name: 'intake',
  description: `importEvidence of ${IMAGES} distinct ${SIZE}x${SIZE} PNGs into a fresh case`,
  async run(log) {
    const generationStarted = performance.now();
    const files = await ensureSyntheticPngs(cacheDir, IMAGES, SIZE);
    log(`images ready in ${cacheDir} (${((performance.now() - generationStarted) / 1000).toFixed(1)} s)`);
    // Only the first IMAGES files of the cache, even if an earlier run made more.
    const imageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-bench-input-'));
    try {
      for (const file of files) fs.symlinkSync(file, path.join(imageDir, path.basename(file)));
      const totalBytes = await warmPageCache(files);
      log('measuring the engine ...');
      const ours = await measure('measure-engine-intake.ts', imageDir);
      log('measuring the naive reference ...');
      const reference = await measure('measure-naive-intake.ts', imageDir);
      return {
        metrics: [
          { name: 'engine throughput', value: ours.imagesPerSecond, unit: 'images/s', target: { op: '>=', value: TARGET_IMAGES_PER_SECOND } },
          { name: 'reference throughput', value: reference.imagesPerSecond, unit: 'images/s' },
          { name: 'engine / reference', value: ours.imagesPerSecond / reference.imagesPerSecond, unit: 'x' },
          { name: 'engine CPU per image', value: ours.cpuMsPerImage, unit: 'ms' },
          { name: 'reference CPU per image', value: reference.cpuMsPerImage, unit: 'ms' },
          { name: 'engine bound on idle cores', value: (1000 * os.availableParallelism()) / ours.cpuMsPerImage, unit: 'images/s' },
          { name: 'engine peak RSS', value: ours.rss.peakMiB, unit: 'MiB' },
          ...Object.entries(ours.rss.marksMiB).map(([at, mib]) => ({ name: `engine RSS at ${at}`, value: mib, unit: 'MiB' })),
          { name: 'reference peak RSS', value: reference.rss.peakMiB, unit: 'MiB' },
        ],
        details: { images: IMAGES, size: SIZE, averageFileKiB: Math.round(totalBytes / files.length / 1024), cores: os.availableParallelism(), ours, reference },
      };
    } finally {
      fs.rmSync(imageDir, { recursive: true, force: true });
    }
  },
};
