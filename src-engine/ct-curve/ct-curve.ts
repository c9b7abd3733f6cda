// Layer-wise C_T curves and the paper's fingerprint matching score between two curves
// (methods.md §2, "The curve").
import { type CtOptions, type CtSets, ctStatistic } from './ct-statistic.ts';

/** C_T for each layer's embeddings of T, P and Q; null where C_T is undefined for that layer. */
export function ctCurve(layers: readonly CtSets[], options: CtOptions = {}): (number | null)[] {
  return layers.map((sets) => ctStatistic(sets, options).ct);
}

/**
 * score(a, b) = 0.5 cos(a, b) + 0.5 / (1 + ||a - b||), undefined (null or NaN) entries read as 0
 * as in the paper. Two all-zero curves have no direction: their cosine term counts 0.
 */
export function curveMatchingScore(a: readonly (number | null)[], b: readonly (number | null)[]): number {
  if (a.length !== b.length) throw new Error(`curves of different lengths: ${a.length} vs ${b.length}`);
  const x = a.map(definedOrZero);
  const y = b.map(definedOrZero);
  let dot = 0;
  let xx = 0;
  let yy = 0;
  let squaredGap = 0;
  x.forEach((xi, i) => {
    const yi = y[i]!;
    dot += xi * yi;
    xx += xi * xi;
    yy += yi * yi;
    squaredGap += (xi - yi) ** 2;
  });
  const cosine = xx > 0 && yy > 0 ? dot / Math.sqrt(xx * yy) : 0;
  return 0.5 * cosine + 0.5 / (1 + Math.sqrt(squaredGap));
}

function definedOrZero(value: number | null): number {
  return value === null || Number.isNaN(value) ? 0 : value;
}
