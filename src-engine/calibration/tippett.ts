// Tippett plot data: for each threshold t over log10 LR, the share of same-source and of
// different-source comparisons whose log10 LR is at least t.

import type { TippettCurve } from '../api/calibration.ts';

export type { TippettCurve } from '../api/calibration.ts';

/**
 * Thresholds are the distinct observed log10 LRs, ascending, so every step of the curves appears;
 * or the given ascending grid, which keeps the data small when there are 100,000 comparisons.
 */
export function tippettCurve(sameLog10Lrs: readonly number[], differentLog10Lrs: readonly number[], grid?: readonly number[]): TippettCurve {
  const thresholds = grid ? [...grid] : [...new Set([...sameLog10Lrs, ...differentLog10Lrs])].sort((x, y) => x - y);
  const shareAtLeast = (values: readonly number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    return thresholds.map((t) => (sorted.length - countBelow(sorted, t)) / sorted.length);
  };
  return { thresholds, sameAtLeast: shareAtLeast(sameLog10Lrs), differentAtLeast: shareAtLeast(differentLog10Lrs) };
}

/** Number of entries < t in an ascending array (binary search). */
function countBelow(sorted: readonly number[], t: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < t) low = middle + 1;
    else high = middle;
  }
  return low;
}
