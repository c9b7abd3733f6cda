// 1:N identification over a large gallery: the engine's identify() (one contiguous Float32Array
// of normalised fingerprints, a dot-product scan and a small top-k insertion list) against the
// straightforward way (one object per entry, Array.map of cosine similarity, a full sort), both
// on the same seeded fingerprints and queries in the same run. The target: under 20 ms
// per query at 100,000 entries.
import os from 'node:os';
import { mulberry32 } from '../src-engine/base/seeded-random.ts';
import type { CurrentFingerprint } from '../src-engine/gallery/gallery-store.ts';
import { buildGalleryMatrix, identify } from '../src-engine/gallery/identify.ts';
import type { Benchmark } from './benchmark.ts';

const ENTRIES = Number(process.env.BENCH_GALLERY_ENTRIES ?? 100_000);
const DIM = 128;
const QUERIES = Number(process.env.BENCH_GALLERY_QUERIES ?? 200);
/** The baseline is much slower; it answers fewer of the same queries. */
const BASELINE_QUERIES = Number(process.env.BENCH_GALLERY_BASELINE_QUERIES ?? 20);
const TOP = 10;
const SEED = 4242;
const TARGET_MS = 20;

function randomVector(random: () => number): Float32Array {
  return Float32Array.from({ length: DIM }, () => random() * 2 - 1);
}

/** The straightforward search: cosine of every entry (norms recomputed), all sorted, the first k kept. */
function baselineIdentify(query: Float32Array, entries: readonly CurrentFingerprint[], top: number): Array<{ name: string; score: number }> {
  const cosine = (a: Float32Array, b: Float32Array): number => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      dot += a[i]! * b[i]!;
      na += a[i]! * a[i]!;
      nb += b[i]! * b[i]!;
    }
    return dot / Math.sqrt(na * nb);
  };
  return entries
    .map((e) => ({ name: e.name, score: cosine(query, e.embedding) }))
    .sort((x, y) => y.score - x.score)
    .slice(0, top);
}

/**
 * Wall-clock and CPU milliseconds per query over `queries`, after a few untimed warm-up queries.
 * CPU time shows the search's own cost when other processes share the cores.
 */
function perQuery(queries: readonly Float32Array[], search: (q: Float32Array) => unknown): { wallMs: number; cpuMs: number } {
  for (const q of queries.slice(0, 3)) search(q);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const q of queries) search(q);
  const wallMs = (performance.now() - started) / queries.length;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 / queries.length };
}

export const gallerySearchBenchmark: Benchmark = {
  name: 'gallery-search',
  description: `1:N identification (top ${TOP}) over ${ENTRIES.toLocaleString('en')} seeded ${DIM}-d gallery fingerprints: identify() vs per-entry objects + map + full sort`,
  async run(log) {
    const random = mulberry32(SEED);
    const entries: CurrentFingerprint[] = Array.from({ length: ENTRIES }, (_, i) => ({ modelId: i + 1, name: `model-${i}`, family: `family-${i % 50}`, embedding: randomVector(random) }));
    const queries = Array.from({ length: QUERIES }, () => randomVector(random));
    const built = performance.now();
    const matrix = buildGalleryMatrix(entries);
    const buildMs = performance.now() - built;

    log(`identify(): ${QUERIES} queries ...`);
    const ours = perQuery(queries, (q) => identify(q, matrix, TOP));
    log(`baseline: ${BASELINE_QUERIES} queries ...`);
    const baseline = perQuery(queries.slice(0, BASELINE_QUERIES), (q) => baselineIdentify(q, entries, TOP));

    // Same answers, or the speed means nothing (scores agree to float32 rounding).
    const disagreements = queries.slice(0, BASELINE_QUERIES).filter((q) => {
      const a = identify(q, matrix, TOP).map((c) => c.name);
      const b = baselineIdentify(q, entries, TOP).map((c) => c.name);
      return a.join() !== b.join();
    }).length;
    if (disagreements > 0) log(`WARNING: ${disagreements} of ${BASELINE_QUERIES} queries ranked differently (ties within float rounding?)`);

    return {
      metrics: [
        { name: 'identify() per query', value: ours.wallMs, unit: 'ms', target: { op: '<=', value: TARGET_MS } },
        { name: 'identify() CPU per query', value: ours.cpuMs, unit: 'ms' },
        { name: 'baseline per query', value: baseline.wallMs, unit: 'ms' },
        { name: 'baseline CPU per query', value: baseline.cpuMs, unit: 'ms' },
        { name: 'identify() / baseline speed', value: baseline.wallMs / ours.wallMs, unit: 'x' },
        { name: 'gallery matrix build', value: buildMs, unit: 'ms' },
      ],
      details: { cores: os.availableParallelism(), loadAverage: os.loadavg(), entries: ENTRIES, dim: DIM, top: TOP, seed: SEED, queries: QUERIES, baselineQueries: BASELINE_QUERIES, rankingDisagreements: disagreements },
    };
  },
};
