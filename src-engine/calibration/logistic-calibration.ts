// Logistic-regression calibration of similarity scores into likelihood ratios (Brümmer & du
// Preez's prior-weighted objective): same-source pairs weigh `prior` in total, different-source
// pairs 1 - prior, whatever their counts, so the fitted a·s + b is the posterior log-odds at
// that prior and a·s + b - logit(prior) is the log LR.

export type LogisticParameters = { a: number; b: number; prior: number };

export function fitLogisticCalibration(same: readonly number[], different: readonly number[], prior = 0.5): LogisticParameters {
  if (same.length === 0 || different.length === 0) throw new Error('calibration needs same-source and different-source scores');
  if (!(prior > 0 && prior < 1)) throw new Error(`prior must lie in (0, 1), got ${prior}`);
  // Separated scores have no finite maximum-likelihood fit (the slope grows without bound): refuse
  // rather than report ever larger LRs.
  if (Math.max(...different) <= Math.min(...same) || Math.max(...same) <= Math.min(...different)) {
    throw new Error('same- and different-source scores are separated: logistic calibration is undefined; more (harder) calibration pairs are needed');
  }
  const points = [
    ...same.map((score) => ({ score, target: 1, weight: prior / same.length })),
    ...different.map((score) => ({ score, target: 0, weight: (1 - prior) / different.length })),
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

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** -log P(target | logit x), computed without overflow. */
function logLoss(x: number, target: number): number {
  return softplus(target === 1 ? -x : x);
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
