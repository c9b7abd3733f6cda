// The calibration protocol's comparisons (plan: gallery entry = pooled first N images of each
// generator in name order; a query bag is scored against its own generator's entry (same source)
// and against every other entry (different source)). Bags are the evaluation's disjoint, seeded
// bags (evaluation/bags.ts), so the same seed and size give the same bags whatever the pooling:
// mean and DeepSets are calibrated on exactly the same comparisons.
import { drawDisjointBags } from '../evaluation/bags.ts';
import { cosine } from '../evaluation/protocols.ts';
import type { ScoredComparisons } from './fit-entry.ts';

/** Pools a bag of image embeddings into one vector (mean, or a set encoder). */
export type Pool = (bag: readonly Float32Array[]) => Promise<Float32Array>;

/** Per generator, its embeddings in name order. */
export type EmbeddingsByGenerator = readonly (readonly Float32Array[])[];

export interface BagComparisons extends ScoredComparisons {
  /** Generators left out at this bag size (fewer query images than the bag holds). */
  skipped: number[];
}

export function meanPool(bag: readonly Float32Array[]): Float32Array {
  const first = bag[0];
  if (!first) throw new Error('cannot pool an empty bag');
  const mean = new Float32Array(first.length);
  for (const embedding of bag) for (let d = 0; d < mean.length; d++) mean[d]! += embedding[d]! / bag.length;
  return mean;
}

export async function compareBags(data: EmbeddingsByGenerator, pool: Pool, size: number, protocol: { galleryImages: number; seed: number }, signal?: AbortSignal): Promise<BagComparisons> {
  const entries: Float32Array[] = [];
  for (const images of data) entries.push(await pool(images.slice(0, protocol.galleryImages)));
  const queries = data.map((images) => images.slice(protocol.galleryImages));
  const bags = drawDisjointBags(queries.map((q) => q.map((_, i) => i)), size, protocol.seed);
  const result: BagComparisons = { same: [], sameGenerator: [], different: [], differentGenerator: [], skipped: [] };
  for (let g = 0; g < data.length; g++) {
    if (bags[g]!.length === 0) result.skipped.push(g);
    for (const bag of bags[g]!) {
      signal?.throwIfAborted();
      const pooled = await pool(bag.map((i) => queries[g]![i]!));
      entries.forEach((entry, h) => {
        const score = cosine(pooled, entry);
        if (h === g) {
          result.same.push(score);
          result.sameGenerator.push(g);
        } else {
          result.different.push(score);
          result.differentGenerator.push(g);
        }
      });
    }
  }
  return result;
}
