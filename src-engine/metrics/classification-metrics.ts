// Closed-set identification scores, defined as scikit-learn defines them (accuracy_score,
// f1_score(average='macro')), so our figures compare with the paper's Python code.

export function accuracy(truth: readonly number[], predicted: readonly number[]): number {
  if (truth.length === 0) return Number.NaN;
  return truth.filter((label, i) => label === predicted[i]).length / truth.length;
}

/**
 * Unweighted mean of per-class F1 over every label that occurs in `truth` or `predicted`; a class
 * with no true and no predicted positives scores 0 (scikit-learn's zero_division default).
 */
export function macroF1(truth: readonly number[], predicted: readonly number[]): number {
  const labels = [...new Set([...truth, ...predicted])];
  if (labels.length === 0) return Number.NaN;
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (t === label && p === label) tp++;
      else if (p === label) fp++;
      else if (t === label) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1s.reduce((a, b) => a + b, 0) / f1s.length;
}

/** Confusion matrix C[t][p] = how many samples of true class t were predicted as p (sklearn's confusion_matrix with labels 0..classes-1). */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => matrix[t]![predicted[i]!]!++);
  return matrix;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Samples of the class in `truth`. */
  support: number;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix, as sklearn's
 * precision_recall_fscore_support(labels=0..classes-1, zero_division=0): a class never predicted
 * has precision 0, a class with no sample recall 0.
 */
export function perClassScores(confusion: readonly (readonly number[])[]): ClassScores[] {
  return confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((sum, r) => sum + r[c]!, 0);
    const precision = predictedAs === 0 ? 0 : tp / predictedAs;
    const recall = support === 0 ? 0 : tp / support;
    return { precision, recall, f1: tp === 0 ? 0 : (2 * tp) / (predictedAs + support), support };
  });
}
