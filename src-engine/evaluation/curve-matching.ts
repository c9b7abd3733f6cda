// `modelprint evaluate DIR --curves`: C_T curve matching (docs/methods.md §2) on a folder of folders,
// one per generator. Each generator's images (file-name order) are split into two disjoint halves:
// the first half gives its known curve, the second its query curve. Every query curve is scored
// against every known curve with the paper's score (ct-curve.ts: 0.5 cos + 0.5 / (1 + L2), undefined
// entries read as 0) and matched to the nearest. Reported: top-1 accuracy, the rank of the true
// generator for each query, per-layer undefined counts, image counts and the full score matrix.
// A cell is kept only when it holds more than tau x m = 20 of the m images, so curves of a few
// hundred images keep few cells and are noisier than the paper's curves of 500 (or 1000).
import path from 'node:path';
import { curveMatchingScore } from '../ct-curve/ct-curve.ts';
import { curveValues, type CurveValues, MINIMUM_CURVE_IMAGES, PAPER_CURVE_IMAGES } from '../ct-curve/curve-record.ts';
import type { CurveService } from '../ct-curve/curve-service.ts';
import { listLabelledImages } from '../labelled-folders/embedded-folder.ts';

/** The two disjoint halves of a generator's items in the given order: the first floor(n/2) are known, the rest query. */
export function splitHalves<T>(items: readonly T[]): { known: T[]; query: T[] } {
  const cut = Math.floor(items.length / 2);
  return { known: items.slice(0, cut), query: items.slice(cut) };
}

export interface NamedCurve {
  name: string;
  /** C_T per layer (null where undefined), or null when no curve could be computed. */
  values: (number | null)[] | null;
}

export interface CurveMatches {
  /** Known generators (columns of `scores`): those with a known curve. */
  known: string[];
  /** One row per query curve. */
  queries: Array<{
    name: string;
    /** The best-scoring known generator (ties by name), or null when no known curve exists. */
    best: string | null;
    bestScore: number | null;
    /** Score against the own generator's known curve; null when it has none. */
    trueScore: number | null;
    /** 1 + the number of other known curves scoring at least as high as the true one (ties count against); null without a true known curve. */
    rank: number | null;
    correct: boolean;
  }>;
  /** scores[q][k]: query curve q against known curve k. */
  scores: number[][];
  /** Queries that have a known curve of their own (the accuracy's denominator). */
  scored: number;
  correct: number;
  /** correct / scored; null when nothing could be scored. */
  accuracy: number | null;
  meanRank: number | null;
}

/** Nearest-neighbour matching of every query curve against every known curve (queries without a curve are left out). */
export function matchCurveSets(known: readonly NamedCurve[], queries: readonly NamedCurve[]): CurveMatches {
  const knownCurves = known.filter((k): k is NamedCurve & { values: (number | null)[] } => k.values !== null);
  const rows: CurveMatches['queries'] = [];
  const scores: number[][] = [];
  for (const query of queries) {
    if (query.values === null) continue;
    const row = knownCurves.map((k) => curveMatchingScore(query.values!, k.values));
    scores.push(row);
    let bestIndex = -1;
    row.forEach((score, i) => {
      if (bestIndex < 0 || score > row[bestIndex]! || (score === row[bestIndex]! && knownCurves[i]!.name.localeCompare(knownCurves[bestIndex]!.name) < 0)) bestIndex = i;
    });
    const own = knownCurves.findIndex((k) => k.name === query.name);
    const trueScore = own >= 0 ? row[own]! : null;
    const rank = trueScore === null ? null : 1 + row.filter((score, i) => i !== own && score >= trueScore).length;
    rows.push({
      name: query.name,
      best: bestIndex >= 0 ? knownCurves[bestIndex]!.name : null,
      bestScore: bestIndex >= 0 ? row[bestIndex]! : null,
      trueScore,
      rank,
      correct: rank === 1,
    });
  }
  const ranked = rows.filter((r) => r.rank !== null);
  const correct = ranked.filter((r) => r.correct).length;
  return {
    known: knownCurves.map((k) => k.name),
    queries: rows,
    scores,
    scored: ranked.length,
    correct,
    accuracy: ranked.length > 0 ? correct / ranked.length : null,
    meanRank: ranked.length > 0 ? ranked.reduce((sum, r) => sum + r.rank!, 0) / ranked.length : null,
  };
}

/** Per layer, how many of the curves are undefined there (a missing curve counts at every layer). */
export function undefinedPerLayer(curves: ReadonlyArray<(number | null)[] | null>, layers: number): number[] {
  return Array.from({ length: layers }, (_, layer) => curves.filter((c) => c === null || c[layer] === null || Number.isNaN(c[layer])).length);
}

export interface CurveGeneratorReport {
  name: string;
  images: number;
  unreadable: number;
  known: CurveValues;
  query: CurveValues;
}

export interface CurveMatchingReport {
  kind: 'ct-curve-matching';
  folder: string;
  encoder: { name: string; sha256: string; layers: number; dim: number; provider: string };
  reference: { binSha256: string; description: string; tCount: number; pCount: number };
  ct: Record<string, unknown>;
  protocol: { split: string; score: string; matching: string; tau: string };
  generators: CurveGeneratorReport[];
  images: number;
  ignoredFiles: number;
  unreadable: Array<{ file: string; message: string }>;
  matches: CurveMatches;
  /** Per layer, the number of known / query curves undefined there. */
  undefinedPerLayer: { known: number[]; query: number[] };
  /** Per layer, the mean number of kept cells over the known / query curves. */
  meanKeptCells: { known: number[]; query: number[] };
  notes: string[];
}

export interface CurveMatchingOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateCurveMatching(dir: string, service: CurveService, options: CurveMatchingOptions = {}): Promise<CurveMatchingReport> {
  const listing = listLabelledImages(dir);
  if (listing.generators.length === 0) throw new Error(`${dir} has no subfolders: expected one folder of images per generator`);
  const { encoder, reference, facts } = await service.ready();
  const embedded = await service.embed(
    listing.files.map(({ file }) => ({ path: file })),
    options,
  );
  if (embedded.cancelled) throw new Error('evaluation cancelled');
  const failures = new Map(embedded.failures.map((f) => [f.index, f.message]));

  const generators: CurveGeneratorReport[] = [];
  for (const [generator, name] of listing.generators.entries()) {
    // Split the generator's files (name order) first, then leave out those that failed: the halves stay disjoint and fixed.
    const indices = listing.files.flatMap((f, i) => (f.generator === generator ? [i] : []));
    const halves = splitHalves(indices);
    const curveOfHalf = async (half: number[]): Promise<CurveValues> => {
      const images = half.flatMap((i) => (embedded.embeddings[i] ? [embedded.embeddings[i]] : []));
      if (options.signal?.aborted) throw new Error('evaluation cancelled');
      return curveValues(images.length, reference.layers, images.length >= MINIMUM_CURVE_IMAGES ? await service.measure(images) : null);
    };
    const known = await curveOfHalf(halves.known);
    const query = await curveOfHalf(halves.query);
    generators.push({ name, images: indices.length - indices.filter((i) => failures.has(i)).length, unreadable: indices.filter((i) => failures.has(i)).length, known, query });
  }

  const usable = (c: CurveValues) => (c.itemCount >= MINIMUM_CURVE_IMAGES ? c.values : null);
  const matches = matchCurveSets(
    generators.map((g) => ({ name: g.name, values: usable(g.known) })),
    generators.map((g) => ({ name: g.name, values: usable(g.query) })),
  );
  const layers = reference.layers;
  const meanKept = (pick: (g: CurveGeneratorReport) => CurveValues) =>
    Array.from({ length: layers }, (_, layer) => (generators.length ? generators.reduce((s, g) => s + pick(g).keptCells[layer]!, 0) / generators.length : 0));
  const counts = generators.flatMap((g) => [g.known.itemCount, g.query.itemCount]);
  const smallest = counts.length ? Math.min(...counts) : 0;
  const largest = counts.length ? Math.max(...counts) : 0;
  const notes: string[] = [];
  notes.push(
    `Curves here are of ${smallest === largest ? smallest : `${smallest}-${largest}`} images: a cell counts only when it holds more than 20 of the m images (tau = 20/m), ` +
      `so with ${service.ct.cells} cells a curve of ${largest} images keeps at most ${Math.min(service.ct.cells, Math.floor((largest - 1) / 20))} cells per layer and usually fewer; ` +
      `the paper's curves were of ${PAPER_CURVE_IMAGES} images and its references of 1000.`,
  );
  const skipped = generators.filter((g) => usable(g.known) === null || usable(g.query) === null);
  if (skipped.length) notes.push(`${skipped.map((g) => g.name).join(', ')}: fewer than ${MINIMUM_CURVE_IMAGES} embedded images in a half, so no curve there; not scored.`);
  if (matches.known.length < 2) notes.push('matching needs at least two known curves');
  return {
    kind: 'ct-curve-matching',
    folder: dir,
    encoder: { name: encoder.name, sha256: encoder.sha256, layers, dim: reference.dim, provider: facts.provider },
    reference: { binSha256: reference.binSha256, description: reference.description, tCount: reference.tCount, pCount: reference.pCount },
    ct: { ...service.ct },
    protocol: {
      split: "each generator's images in file-name order: the first floor(n/2) give the known curve, the rest the query curve (disjoint)",
      score: 'score(a, b) = 0.5 cos(a, b) + 0.5 / (1 + ||a - b||), undefined layers read as 0 (the paper)',
      matching: 'nearest neighbour: every query curve against every known curve; rank of the true generator = 1 + other known curves scoring at least as high',
      tau: 'a cell is kept when its share of the m query images exceeds 20/m (strictly)',
    },
    generators,
    images: generators.reduce((s, g) => s + g.images, 0),
    ignoredFiles: listing.ignored,
    unreadable: [...failures].sort(([a], [b]) => a - b).map(([i, message]) => ({ file: path.relative(dir, listing.files[i]!.file), message })),
    matches,
    undefinedPerLayer: { known: undefinedPerLayer(generators.map((g) => usable(g.known)), layers), query: undefinedPerLayer(generators.map((g) => usable(g.query)), layers) },
    meanKeptCells: { known: meanKept((g) => g.known), query: meanKept((g) => g.query) },
    notes,
  };
}

/** The human-readable summary. */
export function formatCurveMatching(report: CurveMatchingReport): string {
  const m = report.matches;
  const lines = [
    `C_T curve matching: ${report.folder}`,
    `encoder ${report.encoder.name} (${report.encoder.layers} layers), reference ${report.reference.description} (T ${report.reference.tCount}, P ${report.reference.pCount})`,
    `${report.generators.length} generators, ${report.images} images; known curve = first half, query curve = second half (file-name order)`,
    `top-1 accuracy: ${m.accuracy === null ? '-' : `${(100 * m.accuracy).toFixed(1)}%`} (${m.correct}/${m.scored}), mean rank of the true generator ${m.meanRank === null ? '-' : m.meanRank.toFixed(2)}`,
    `undefined layers (known): ${report.undefinedPerLayer.known.join(' ')}`,
    `undefined layers (query): ${report.undefinedPerLayer.query.join(' ')}`,
    '',
    'query generator | images known/query | best match | rank | true score | best score',
  ];
  for (const q of m.queries) {
    const g = report.generators.find((x) => x.name === q.name)!;
    lines.push(`${q.name} | ${g.known.itemCount}/${g.query.itemCount} | ${q.correct ? '(self)' : (q.best ?? '-')} | ${q.rank ?? '-'} | ${q.trueScore?.toFixed(4) ?? '-'} | ${q.bestScore?.toFixed(4) ?? '-'}`);
  }
  lines.push('', ...report.notes);
  return lines.join('\n');
}
