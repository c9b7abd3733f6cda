// 1:1 verification scores from similarity scores of same-source (positive) and different-source
// (negative) pairs: ROC AUC, equal error rate and the best accuracy over all thresholds. One
// descending walk over the two sorted score lists gives them all, without materialising the ROC:
// bag evaluations compare every bag with every gallery entry, millions of scores on big sets.

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

function descending(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values);
  if (sorted.some(Number.isNaN)) throw new Error('a verification score is NaN');
  return sorted.sort().reverse();
}

/** The ROC curve at every distinct score (accept when score >= threshold), from (0,0) to (1,1); tied scores are one threshold. */
export function* rocPoints(same: ArrayLike<number>, different: ArrayLike<number>): Generator<RocPoint> {
  const [p, n] = [descending(same), descending(different)];
  yield { threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 };
  let [i, j] = [0, 0];
  while (i < p.length || j < n.length) {
    const threshold = Math.max(i < p.length ? p[i]! : Number.NEGATIVE_INFINITY, j < n.length ? n[j]! : Number.NEGATIVE_INFINITY);
    while (i < p.length && p[i] === threshold) i++;
    while (j < n.length && n[j] === threshold) j++;
    yield { threshold, fpr: j / n.length, tpr: i / p.length };
  }
}

export interface VerificationFigures {
  /** Area under the ROC curve (trapezoids; equals the Mann-Whitney U / (P x N), ties counting one half). */
  auc: number;
  /**
   * Equal error rate: where the ROC polyline crosses FPR = FNR (= 1 - TPR), interpolated linearly
   * between its points (as the usual brentq-on-interp1d recipe does).
   */
  eer: number;
  /** The best share of pairs classified right by one threshold (rejecting every pair included), and that threshold. */
  bestAccuracy: number;
  bestThreshold: number;
}

export function verificationFigures(same: ArrayLike<number>, different: ArrayLike<number>): VerificationFigures {
  const total = same.length + different.length;
  const figures: VerificationFigures = { auc: 0, eer: Number.NaN, bestAccuracy: -1, bestThreshold: Number.POSITIVE_INFINITY };
  // g = FPR - FNR rises from -1 at (0,0) to +1 at (1,1): the EER is on the first segment where it reaches 0.
  const g = (p: RocPoint) => p.fpr - (1 - p.tpr);
  let previous: RocPoint | null = null;
  for (const point of rocPoints(same, different)) {
    const accuracy = (point.tpr * same.length + (1 - point.fpr) * different.length) / total;
    if (accuracy > figures.bestAccuracy) [figures.bestAccuracy, figures.bestThreshold] = [accuracy, point.threshold];
    if (previous) {
      figures.auc += ((point.fpr - previous.fpr) * (point.tpr + previous.tpr)) / 2;
      if (Number.isNaN(figures.eer) && g(point) >= 0) {
        const t = g(previous) === g(point) ? 0 : -g(previous) / (g(point) - g(previous));
        figures.eer = previous.fpr + t * (point.fpr - previous.fpr);
      }
    }
    previous = point;
  }
  return figures;
}

/** Scores and their labels (true = same source) as the two lists. */
function bySource(scores: readonly number[], positive: readonly boolean[]): [number[], number[]] {
  return [scores.filter((_, i) => positive[i]), scores.filter((_, i) => !positive[i])];
}

export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  return verificationFigures(...bySource(scores, positive)).auc;
}
