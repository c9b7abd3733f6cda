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
