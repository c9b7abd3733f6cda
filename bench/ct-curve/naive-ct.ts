// The straightforward C_T of one layer, as a first implementation would write it: exact PCA by
// the full covariance's eigendecomposition (the engine's fitPca, O(n d² + d³) in JS), k-means++
// and plain Lloyd iterations until no label changes with every row-centre distance computed,
// every Q or P row compared with every T row of its cell, and U counted over all (q, p) pairs.
// The benchmark's baseline: same statistic, none of the engine's shortcuts.
import type { CtResult } from '../../src-engine/ct-curve/ct-statistic.ts';
import type { Matrix } from '../../src-engine/base/linear-algebra/matrix.ts';
import { fitPca, projectPca } from '../../src-engine/base/linear-algebra/pca.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';

const CELLS = 10;
const RESTARTS = 10;

function squared(a: Float32Array, i: number, b: ArrayLike<number>, j: number, d: number): number {
  let sum = 0;
  for (let c = 0; c < d; c++) sum += (a[i * d + c]! - b[j * d + c]!) ** 2;
  return sum;
}

function nearestCentre(x: Matrix, r: number, centres: Float64Array): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < CELLS; c++) {
    const distance = squared(x.data, r, centres, c, x.cols);
    if (distance < bestDistance) [best, bestDistance] = [c, distance];
  }
  return best;
}

function lloyd(x: Matrix, random: () => number): { labels: Int32Array; centres: Float64Array; inertia: number } {
  const { rows: n, cols: d } = x;
  const centres = new Float64Array(CELLS * d);
  const closest = new Float64Array(n).fill(Infinity);
  for (let c = 0; c < CELLS; c++) {
    let chosen = Math.floor(random() * n);
    if (c > 0) {
      let target = random() * closest.reduce((s, v) => s + v, 0);
      for (chosen = 0; chosen < n - 1 && (target -= closest[chosen]!) >= 0; chosen++);
    }
    for (let j = 0; j < d; j++) centres[c * d + j] = x.data[chosen * d + j]!;
    for (let r = 0; r < n; r++) closest[r] = Math.min(closest[r]!, squared(x.data, r, centres, c, d));
  }
  const labels = new Int32Array(n).fill(-1);
  for (let iteration = 0; iteration < 300; iteration++) {
    let changed = false;
    for (let r = 0; r < n; r++) {
      const cell = nearestCentre(x, r, centres);
      if (cell !== labels[r]) changed = true;
      labels[r] = cell;
    }
    if (!changed) break;
    const sums = new Float64Array(CELLS * d);
    const counts = new Int32Array(CELLS);
    for (let r = 0; r < n; r++) {
      counts[labels[r]!]!++;
      for (let j = 0; j < d; j++) sums[labels[r]! * d + j]! += x.data[r * d + j]!;
    }
    for (let c = 0; c < CELLS; c++) if (counts[c]! > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j]! / counts[c]!;
  }
  let inertia = 0;
  for (let r = 0; r < n; r++) inertia += squared(x.data, r, centres, labels[r]!, d);
  return { labels, centres, inertia };
}

/** 1 - |cos| to the nearest T row of the same cell, for each row of x. */
function nearestInCell(x: Matrix, cells: Int32Array, T: Matrix, tCells: Int32Array): Float64Array {
  const d = x.cols;
  return Float64Array.from({ length: x.rows }, (_, r) => {
    let best = Infinity;
    for (let t = 0; t < T.rows; t++) {
      if (tCells[t] !== cells[r]) continue;
      let dot = 0;
      let xx = 0;
      let tt = 0;
      for (let c = 0; c < d; c++) {
        dot += x.data[r * d + c]! * T.data[t * d + c]!;
        xx += x.data[r * d + c]! ** 2;
        tt += T.data[t * d + c]! ** 2;
      }
      best = Math.min(best, 1 - Math.abs(dot) / Math.sqrt(xx * tt));
    }
    return best;
  });
}

export function naiveCt(T: Matrix, P: Matrix, Q: Matrix, seed = 0): CtResult {
  const pca = fitPca(T, 64);
  const [t, p, q] = [T, P, Q].map((x) => projectPca(pca, x)) as [Matrix, Matrix, Matrix];
  const random = mulberry32(seed);
  let best: ReturnType<typeof lloyd> | undefined;
  for (let restart = 0; restart < RESTARTS; restart++) {
    const run = lloyd(t, random);
    if (!best || run.inertia < best.inertia) best = run;
  }
  const assign = (x: Matrix) => Int32Array.from({ length: x.rows }, (_, r) => nearestCentre(x, r, best!.centres));
  const [pCells, qCells] = [assign(p), assign(q)];
  const [pDistances, qDistances] = [nearestInCell(p, pCells, t, best!.labels), nearestInCell(q, qCells, t, best!.labels)];
  const m = Q.rows;
  const cells: CtResult['cells'] = [];
  let weighted = 0;
  let weight = 0;
  for (let cell = 0; cell < CELLS; cell++) {
    const pIn = pDistances.filter((_, i) => pCells[i] === cell);
    const qIn = qDistances.filter((_, i) => qCells[i] === cell);
    let u: number | null = null;
    let z: number | null = null;
    if (pIn.length > 0 && qIn.length > 0) {
      u = 0;
      for (const qd of qIn) for (const pd of pIn) u += qd > pd ? 1 : qd === pd ? 0.5 : 0;
      const [nn, mm] = [pIn.length, qIn.length];
      z = (u - (nn * mm) / 2 + 0.5) / Math.sqrt((nn * mm * (nn + mm + 1)) / 12);
    }
    const kept = qIn.length / m > 20 / m;
    if (kept && z !== null) {
      weighted += (pIn.length / P.rows) * z;
      weight += pIn.length / P.rows;
    }
    cells.push({ cell, tCount: best!.labels.filter((l) => l === cell).length, pCount: pIn.length, qCount: qIn.length, u, z, kept });
  }
  return { ct: weight > 0 ? weighted / weight : null, cells, tau: 20 / m };
}
