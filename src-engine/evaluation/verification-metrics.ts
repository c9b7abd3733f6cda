// 1:1 verification scores from similarity scores of same-source (positive) and different-source
// (negative) pairs: ROC AUC, equal error rate and the best accuracy over all thresholds.

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

/** The ROC curve at every distinct score (accept when score >= threshold), from (0,0) to (1,1). */
export function rocCurve(scores: readonly number[], positive: readonly boolean[]): RocPoint[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  order.forEach((index, k) => {
    if (positive[index]) tp++;
    else fp++;
    // Tied scores are one threshold: emit a point only after the last of them.
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[index]) points.push({ threshold: scores[index]!, fpr: fp / negatives, tpr: tp / positives });
  });
  return points;
}

/** Area under the ROC curve (trapezoids; equals the Mann-Whitney U / (P x N), ties counting one half). */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const roc = rocCurve(scores, positive);
  let area = 0;
  for (let i = 1; i < roc.length; i++) area += ((roc[i]!.fpr - roc[i - 1]!.fpr) * (roc[i]!.tpr + roc[i - 1]!.tpr)) / 2;
  return area;
}

/**
 * Equal error rate: where the ROC polyline crosses FPR = FNR (= 1 - TPR), interpolated linearly
 * between its points (as the usual brentq-on-interp1d recipe does).
 */
export function equalErrorRate(scores: readonly number[], positive: readonly boolean[]): number {
  const roc = rocCurve(scores, positive);
  // g = FPR - FNR rises from -1 at (0,0) to +1 at (1,1): find the segment where it reaches 0.
  const g = (p: RocPoint) => p.fpr - (1 - p.tpr);
  for (let i = 1; i < roc.length; i++) {
    const [a, b] = [roc[i - 1]!, roc[i]!];
    if (g(b) < 0) continue;
    const t = g(a) === g(b) ? 0 : -g(a) / (g(b) - g(a));
    return a.fpr + t * (b.fpr - a.fpr);
  }
  return Number.NaN;
}

/** The best share of pairs classified right by one threshold (rejecting every pair included). */
export function bestAccuracy(scores: readonly number[], positive: readonly boolean[]): { accuracy: number; threshold: number } {
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  let best = { accuracy: -1, threshold: Number.POSITIVE_INFINITY };
  for (const p of rocCurve(scores, positive)) {
    const accuracy = (p.tpr * positives + (1 - p.fpr) * negatives) / positive.length;
    if (accuracy > best.accuracy) best = { accuracy, threshold: p.threshold };
  }
  return best;
}
