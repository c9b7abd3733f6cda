// The comparison protocol on real generators, shared by `calibrate` (fitting and validation) and
// `evaluate`: every image of a generator is a query once (bags of 1 in name order; larger bags a
// seeded shuffle cut into disjoint bags), and its own generator's gallery entry is the mean of
// that generator's first R reference images *not in the bag* (leave-one-out / leave-bag-out), so
// generators of 3-10 images still give honest same-source comparisons. Every other generator's
// entry is the mean of its first R images. R is fixed (calibration: one entry per reference
// count) or capped by what each generator holds (evaluation: min(R, images - bag size)).
import type { CompressionClass } from '../conditions/observed.ts';
import { drawDisjointBags } from '../metrics/bags.ts';
import { cosine } from '../metrics/protocols.ts';
import { meanPool } from './bag-comparisons.ts';
import { cohortScores } from './cohort-score.ts';

/** One image as a condition presents it: its fingerprint and what the evidence shows of its condition. */
export interface ConditionedImage {
  file: string;
  embedding: Float32Array;
  compression: CompressionClass;
  minSide: number;
}

/** A folder of generator folders under one condition (a transform of the published images). */
export interface ConditionedFolder {
  /** The transform that made it ('as-published', 'jpeg-q75', ...). */
  condition: string;
  generators: string[];
  /** Per generator, its readable images in name order. */
  images: ConditionedImage[][];
}

/** One query bag scored against every generator's entry. */
export interface ScoredBag {
  generator: number;
  /** The bag's compression: the most degraded of its images' (see DEGRADATION). */
  compression: CompressionClass;
  /** The smallest side among the bag's images. */
  minSide: number;
  /** The calibrated score against each generator's entry: its cosine minus the mean cosine with the other entries (cohort-score.ts); NaN where the generator has no entry. */
  scores: number[];
  /** How many reference images each entry pools (0 where there is none). */
  references: number[];
}

/** From least to most degraded: a bag mixing classes is judged by its worst image. */
export const DEGRADATION: readonly CompressionClass[] = ['lossless', 'jpeg-high', 'webp-lossy', 'jpeg-mid', 'jpeg-low', 'other-lossy', 'unknown'];

export function worstCompression(classes: readonly CompressionClass[]): CompressionClass {
  return classes.reduce((worst, c) => (DEGRADATION.indexOf(c) > DEGRADATION.indexOf(worst) ? c : worst), classes[0] ?? 'unknown');
}

export interface LeaveBagOutOptions {
  bagSize: number;
  /** Reference images per entry. */
  references: number;
  /**
   * 'fixed': only entries of exactly `references` images (generators with fewer images have no
   * entry, and take part as queries only with bagSize + references images); 'capped': each entry
   * pools min(references, what the generator can spare), at least one.
   */
  mode: 'fixed' | 'capped';
  seed: number;
  signal?: AbortSignal;
}

/**
 * Scores every query bag of `queries` against entries pooled from `references` (the same images,
 * possibly under another condition: gallery references are often the published files while the
 * evidence was re-encoded). Images are matched between the two by file name.
 */
export function scoreLeaveBagOut(queries: ConditionedFolder, references: ConditionedFolder, options: LeaveBagOutOptions): ScoredBag[] {
  const { bagSize, references: wanted, mode } = options;
  const referenceRows = queries.images.map((images, g) => {
    const byFile = new Map(references.images[references.generators.indexOf(queries.generators[g]!)]?.map((image) => [image.file, image.embedding]) ?? []);
    return images.map((image) => byFile.get(image.file) ?? null);
  });
  // Other generators' entries: their first R reference images (fixed) or as many as they have, up to R.
  const entrySize = (count: number) => (mode === 'fixed' ? (count >= wanted ? wanted : 0) : Math.min(wanted, count));
  const fixedEntries = referenceRows.map((rows) => {
    const available = rows.filter((row): row is Float32Array => row !== null);
    const size = entrySize(available.length);
    return size > 0 ? { vector: meanPool(available.slice(0, size)), size } : null;
  });
  const bagsByGenerator = drawDisjointBags(queries.images.map((images) => images.map((_, i) => i)), bagSize, options.seed);
  const scored: ScoredBag[] = [];
  queries.images.forEach((images, g) => {
    for (const bag of bagsByGenerator[g]!) {
      options.signal?.throwIfAborted();
      const inBag = new Set(bag);
      const spare = referenceRows[g]!.filter((row, i): row is Float32Array => row !== null && !inBag.has(i));
      const ownSize = mode === 'fixed' ? (spare.length >= wanted ? wanted : 0) : Math.min(wanted, spare.length);
      if (ownSize === 0) continue;
      const own = meanPool(spare.slice(0, ownSize));
      const query = meanPool(bag.map((i) => images[i]!.embedding));
      const scores = cohortScores(fixedEntries.map((entry, h) => (h === g ? cosine(query, own) : entry ? cosine(query, entry.vector) : Number.NaN)));
      const references = fixedEntries.map((entry, h) => (h === g ? ownSize : (entry?.size ?? 0)));
      scored.push({
        generator: g,
        compression: worstCompression(bag.map((i) => images[i]!.compression)),
        minSide: Math.min(...bag.map((i) => images[i]!.minSide)),
        scores,
        references,
      });
    }
  });
  return scored;
}

/** The best score among the entries `allowed` admits, or NaN when none does. */
export function bestScore(bag: ScoredBag, allowed: (generator: number) => boolean): { generator: number; score: number } {
  let best = { generator: -1, score: Number.NaN };
  bag.scores.forEach((score, h) => {
    if (allowed(h) && !Number.isNaN(score) && (best.generator < 0 || score > best.score)) best = { generator: h, score };
  });
  return best;
}
