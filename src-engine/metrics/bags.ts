// Evaluation bags: each generator's query images (those not in its gallery entry) dealt into
// disjoint bags of one size, so no image counts twice at a bag size and every bag is an
// independent test of the set fingerprint. Seeded, so a run is reproducible.
import { mulberry32, randomIndex } from '../base/seeded-random.ts';

export const EVALUATION_BAG_SIZES = [1, 5, 10, 50] as const;

/**
 * Per generator, floor(queries / size) bags of `size` query indices. Size 1 is every query image
 * alone, in input order (the single-image protocol); larger sizes shuffle the generator's queries
 * (Fisher-Yates, mulberry32 seeded by seed and size) and cut the order into consecutive bags,
 * leaving the remainder out.
 */
export function drawDisjointBags(queries: readonly (readonly number[])[], size: number, seed: number): number[][][] {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`a bag size must be a positive integer, not ${size}`);
  const random = mulberry32((seed ^ Math.imul(size, 0x9e3779b1)) >>> 0);
  return queries.map((members) => {
    const order = [...members];
    if (size > 1) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = randomIndex(random, i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    return Array.from({ length: Math.floor(order.length / size) }, (_, b) => order.slice(b * size, (b + 1) * size));
  });
}

/** `count` of `classes` class indices (count >= 1 and < classes), chosen by a seeded shuffle, ascending. */
export function chooseHeldOut(classes: number, count: number, seed: number): number[] {
  if (!Number.isSafeInteger(count) || count < 1 || count >= classes) throw new Error(`cannot hold out ${count} of ${classes} generators: at least one must stay in the gallery`);
  const random = mulberry32((seed ^ 0x6f70656e) >>> 0); // 'open'
  const order = Array.from({ length: classes }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}
