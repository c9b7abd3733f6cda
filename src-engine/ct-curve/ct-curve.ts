// The paper's fingerprint matching score between two C_T curves, and nearest-neighbour matching
// over known curves (docs/methods.md §2, "The curve"). Curves themselves come from curve-service.ts.

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

/** Nearest neighbour over known curves: every known curve scored against `curve`, best first (ties by name). */
export function rankCurveMatches(curve: readonly (number | null)[], known: ReadonlyArray<{ model: string; values: readonly (number | null)[] }>): Array<{ model: string; score: number }> {
  return known
    .map(({ model, values }) => ({ model, score: curveMatchingScore(curve, values) }))
    .sort((a, b) => b.score - a.score || a.model.localeCompare(b.model));
}
