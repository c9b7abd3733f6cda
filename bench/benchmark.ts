// What a benchmark is, so run.ts can run any number of them and report them the same way.

export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** A goal from an issue, e.g. ">= 40 images/s"; the table shows whether it is met. */
  target?: { op: '>=' | '<='; value: number };
}

export interface BenchmarkResult {
  metrics: Metric[];
  /** Anything else worth keeping in latest.json (raw samples, sizes, settings). */
  details?: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<BenchmarkResult>;
}

export function meetsTarget(metric: Metric): boolean | undefined {
  if (!metric.target) return undefined;
  return metric.target.op === '>=' ? metric.value >= metric.target.value : metric.value <= metric.target.value;
}
