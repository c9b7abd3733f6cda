// Logistic-regression calibration of similarity scores into likelihood ratios (Brümmer & du
// Preez's prior-weighted objective): same-source pairs weigh `prior` in total, different-source
// pairs 1 - prior, whatever their counts, so the fitted a·s + b is the posterior log-odds at
// that prior and a·s + b - logit(prior) is the log LR.

import type { LogisticParameters } from '../api/calibration.ts';

export type { LogisticParameters } from '../api/calibration.ts';

/** True when no different-source score reaches the lowest same-source one (or the reverse). */
export function scoresSeparated(same: readonly number[], different: readonly number[]): boolean {
  const [sameLow, sameHigh] = extent(same);
  const [differentLow, differentHigh] = extent(different);
  return differentHigh <= sameLow || sameHigh <= differentLow;
}

/**
 * `smoothTargets`: Platt's (1999) targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2) instead of 1 and
 * 0. They keep the fit finite when the scores are separated, and bound the posterior odds by
 * roughly the number of pairs of each kind: no LR beyond what that much validation data can show.
 */
export function fitLogisticCalibration(
  same: readonly number[],
  different: readonly number[],
  prior = 0.5,
  smoothTargets = false,
  weights?: { same: readonly number[]; different: readonly number[] },
): LogisticParameters {
  if (same.length === 0 || different.length === 0) throw new Error('calibration needs same-source and different-source scores');
  if (!(prior > 0 && prior < 1)) throw new Error(`prior must lie in (0, 1), got ${prior}`);
  // Separated scores have no finite maximum-likelihood fit with hard targets (the slope grows
  // without bound): refuse rather than report ever larger LRs.
  if (!smoothTargets && scoresSeparated(same, different)) {
    throw new Error('same- and different-source scores are separated: logistic calibration with hard targets is undefined');
  }
  const sameTarget = smoothTargets ? (same.length + 1) / (same.length + 2) : 1;
  const differentTarget = smoothTargets ? 1 / (different.length + 2) : 0;
  // Within each kind of pair the weights are relative (e.g. one per generator in total); each kind still weighs its prior.
  const shares = (scores: readonly number[], relative: readonly number[] | undefined, total: number) => {
    const w = relative ?? scores.map(() => 1);
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((x) => (total * x) / sum);
  };
  const sameWeights = shares(same, weights?.same, prior);
  const differentWeights = shares(different, weights?.different, 1 - prior);
  const points = [
    ...same.map((score, i) => ({ score, target: sameTarget, weight: sameWeights[i]! })),
    ...different.map((score, i) => ({ score, target: differentTarget, weight: differentWeights[i]! })),
  ];
  const loss = (a: number, b: number) => points.reduce((sum, p) => sum + p.weight * logLoss(a * p.score + b, p.target), 0);
  let a = 0;
  let b = Math.log(prior / (1 - prior));
  for (let iteration = 0; iteration < 100; iteration++) {
    // Newton step on the 2×2 system (IRLS); halve it while it fails to lower the loss.
    let [ga, gb, haa, hab, hbb] = [0, 0, 0, 0, 0];
    for (const p of points) {
      const posterior = sigmoid(a * p.score + b);
      const residual = p.weight * (posterior - p.target);
      const curvature = p.weight * posterior * (1 - posterior);
      ga += residual * p.score;
      gb += residual;
      haa += curvature * p.score * p.score;
      hab += curvature * p.score;
      hbb += curvature;
    }
    const determinant = haa * hbb - hab * hab;
    let stepA = (hbb * ga - hab * gb) / determinant;
    let stepB = (haa * gb - hab * ga) / determinant;
    const before = loss(a, b);
    while (loss(a - stepA, b - stepB) > before && Math.abs(stepA) + Math.abs(stepB) > 1e-15) {
      stepA /= 2;
      stepB /= 2;
    }
    a -= stepA;
    b -= stepB;
    if (Math.abs(stepA) <= 1e-12 * (1 + Math.abs(a)) && Math.abs(stepB) <= 1e-12 * (1 + Math.abs(b))) break;
  }
  return { a, b, prior };
}

/** log10 LR = (a·s + b - logit(prior)) / ln 10. */
export function logisticLog10Lr(parameters: LogisticParameters, score: number): number {
  const { a, b, prior } = parameters;
  return (a * score + b - Math.log(prior / (1 - prior))) / Math.LN10;
}

/** [min, max] by a loop: spreading 100,000+ scores into Math.min overflows the call stack. */
export function extent(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return [low, high];
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Cross-entropy of a (possibly soft) target against logit x, computed without overflow. */
function logLoss(x: number, target: number): number {
  return target * softplus(-x) + (1 - target) * softplus(x);
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
