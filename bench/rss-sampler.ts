// Resident memory over a run: sampled every 50 ms (to catch the peak) and at chosen moments
// (e.g. 25/50/75/100 % of an import) to show whether memory stays flat as work proceeds.

export interface RssReport {
  peakMiB: number;
  marksMiB: Record<string, number>;
}

const MiB = 1024 * 1024;

export class RssSampler {
  private peak = process.memoryUsage.rss();
  private readonly marks: Record<string, number> = {};
  private readonly timer = setInterval(() => this.sample(), 50);

  private sample(): number {
    const rss = process.memoryUsage.rss();
    this.peak = Math.max(this.peak, rss);
    return rss;
  }

  mark(label: string): void {
    this.marks[label] = round(this.sample() / MiB);
  }

  stop(): RssReport {
    clearInterval(this.timer);
    this.sample();
    return { peakMiB: round(this.peak / MiB), marksMiB: this.marks };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Marks RSS when progress first reaches each quarter of `total`. */
export function quarterMarker(sampler: RssSampler, total: number): (done: number) => void {
  const quarters = [25, 50, 75, 100];
  return (done) => {
    while (quarters.length > 0 && done * 100 >= quarters[0]! * total) sampler.mark(`${quarters.shift()}%`);
  };
}
