// Log-likelihood-ratio cost (Brümmer & du Preez 2006, "Application-independent evaluation of
// speaker detection"): Cllr = ½ [mean over same-source of log2(1 + 1/LR) + mean over
// different-source of log2(1 + LR)]. 0 is perfect; LR = 1 everywhere costs exactly 1.
import { softplus } from './logistic-calibration.ts';
import { optimalLog10Lrs } from './pav.ts';

export function cllr(sameLog10Lrs: readonly number[], differentLog10Lrs: readonly number[]): number {
  if (sameLog10Lrs.length === 0 || differentLog10Lrs.length === 0) throw new Error('Cllr needs same-source and different-source LRs');
  // log2(1 + 10^x) = softplus(x ln 10) / ln 2, stable for large |x| and ±Infinity.
  const cost = (log10Lr: number) => softplus(log10Lr * Math.LN10) / Math.LN2;
  const mean = (values: readonly number[], f: (x: number) => number) => values.reduce((sum, x) => sum + f(x), 0) / values.length;
  return 0.5 * (mean(sameLog10Lrs, (x) => cost(-x)) + mean(differentLog10Lrs, cost));
}

/** Cllr of the best monotone calibration of these scores (PAV): the discrimination loss alone. */
export function cllrMin(sameScores: readonly number[], differentScores: readonly number[]): number {
  const optimal = optimalLog10Lrs(sameScores, differentScores);
  return cllr(optimal.same, optimal.different);
}
