// Runs the benchmarks (all, or those named on the command line), prints a table and the JSON,
// and writes bench/results/latest.json. Usage: npm run bench [-- intake evidence-grid fingerprint gallery-search ct-curve report]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_VERSION } from '../src-engine/base/version.ts';
import { meetsTarget, type Benchmark, type BenchmarkResult } from './benchmark.ts';
import { ctCurveBenchmark } from './ct-curve.bench.ts';
import { evidenceGridBenchmark } from './evidence-grid.bench.ts';
import { fingerprintBenchmark } from './fingerprint.bench.ts';
import { gallerySearchBenchmark } from './gallery-search.bench.ts';
import { intakeBenchmark } from './intake.bench.ts';
import { reportBenchmark } from './report.bench.ts';

/** Later parts add their benchmarks here. */
const benchmarks: readonly Benchmark[] = [intakeBenchmark, evidenceGridBenchmark, fingerprintBenchmark, gallerySearchBenchmark, ctCurveBenchmark, reportBenchmark];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = benchmarks.filter((b) => wanted.length === 0 || wanted.includes(b.name));

const results: Record<string, BenchmarkResult & { description: string; seconds: number }> = {};
for (const benchmark of selected) {
  console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
  const started = performance.now();
  const result = await benchmark.run((line) => console.log(`   ${line}`));
  results[benchmark.name] = { description: benchmark.description, seconds: (performance.now() - started) / 1000, ...result };
}

function formatValue(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const rows = Object.entries(results).flatMap(([bench, result]) =>
  result.metrics.map((m) => {
    const met = meetsTarget(m);
    const target = m.target ? `${m.target.op} ${m.target.value} ${met ? 'ok' : 'MISSED'}` : '';
    return [bench, m.name, `${formatValue(m.value)} ${m.unit}`, target];
  }),
);
const header = ['benchmark', 'metric', 'value', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);

const report = {
  version: APP_VERSION,
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  atUtc: new Date().toISOString(),
  results,
};
const json = JSON.stringify(report, null, 2);
console.log(json);
const resultsDir = path.join(import.meta.dirname, 'results');
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${json}\n`);
if (Object.values(results).some((r) => r.metrics.some((m) => meetsTarget(m) === false))) process.exitCode = 1;
