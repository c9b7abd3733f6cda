// KMeans partition of T (docs/methods.md §2 step 1): k-means++ seeds, then Lloyd iterations stopped as
// scikit-learn stops them (labels unchanged, or the centres' total squared shift <= tol x the
// mean per-feature variance, then one last assignment), best of several restarts by inertia.
// Seeded, so the same inputs always give the same cells.
//
// As in scikit-learn, the distances of an assignment step come from a matrix product
// (||x - c||² = ||x||² - 2 x·c + ||c||², float32, in onnxruntime: base/linear-algebra/dense-kernels.ts). The restarts
// run in lockstep so that one product serves all of them: for 10,000 rows that is a few large
// products instead of hundreds of small ones. Centres are kept in float64 and updated only by the
// rows that changed cell.
import { mulberry32 } from '../base/seeded-random.ts';
import type { DenseKernels } from '../base/linear-algebra/dense-kernels.ts';
import type { Matrix } from '../base/linear-algebra/matrix.ts';

export type KMeansOptions = { clusters: number; restarts: number; seed: number; maxIterations?: number; tolerance?: number };
/** Centres in float64, row-major (rows = clusters). */
export type Centroids = { rows: number; cols: number; data: Float64Array };
export type KMeansResult = { centroids: Centroids; labels: Int32Array; inertia: number; iterations: number };

const SKLEARN_TOLERANCE = 1e-4;

/** The rows as every step needs them. */
interface Prepared {
  x: Matrix;
  /** x with a trailing 1 per row (see withOnes). */
  rows: Matrix;
  norms: Float64Array;
}

/** One restart's Lloyd state. */
interface Run {
  centres: Float64Array;
  labels: Int32Array;
  sums: Float64Array;
  counts: Int32Array;
  /** Rows that changed cell in the last assignment. */
  changed: number;
  iterations: number;
  inertia: number;
  state: 'running' | 'last-assignment' | 'done';
}

export async function kMeans(x: Matrix, options: KMeansOptions, kernels: DenseKernels): Promise<KMeansResult> {
  const { clusters: k, restarts } = options;
  if (x.rows < k) throw new Error(`KMeans needs at least ${k} rows, got ${x.rows}`);
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = (options.tolerance ?? SKLEARN_TOLERANCE) * meanVariance(x);
  const data: Prepared = { x, rows: withOnes(x), norms: squaredNorms(x) };
  const runs: Run[] = (await kMeansPlusPlus(data, k, restarts, mulberry32(options.seed), kernels)).map((centres) => ({
    centres,
    labels: new Int32Array(x.rows).fill(-1),
    sums: new Float64Array(k * x.cols),
    counts: new Int32Array(k),
    changed: 0,
    iterations: 0,
    inertia: Infinity,
    state: 'running',
  }));
  // The first assignment; then, as scikit-learn: update, test, assign.
  await assign(data, runs, kernels);
  for (;;) {
    for (const run of runs.filter((r) => r.state === 'running')) {
      run.iterations++;
      relocateEmptyCells(x, run);
      const shift = updateCentres(run, x.cols);
      if (run.changed === 0) run.state = 'done'; // labels unchanged: the centres are their means already
      else if (shift <= tolerance || run.iterations >= maxIterations) run.state = 'last-assignment';
    }
    const pending = runs.filter((r) => r.state !== 'done');
    if (pending.length === 0) break;
    await assign(data, pending, kernels);
    for (const run of pending) if (run.state === 'last-assignment') run.state = 'done';
  }
  // The lowest inertia; among equals the earliest restart.
  const best = runs.reduce((a, b) => (b.inertia < a.inertia ? b : a));
  return { centroids: { rows: k, cols: x.cols, data: best.centres }, labels: best.labels, inertia: best.inertia, iterations: best.iterations };
}

/** Index of the nearest centre of every row. */
export async function assignToCells(centroids: Centroids, x: Matrix, kernels: DenseKernels): Promise<Int32Array> {
  if (x.cols !== centroids.cols) throw new Error(`dimension mismatch: ${x.cols} vs ${centroids.cols}`);
  if (x.rows === 0) return new Int32Array(0);
  return (await kernels.nearestInGroups(withOnes(x), augmentedCentres([centroids.data], centroids.rows, x.cols), 1, centroids.rows)).labels;
}

/**
 * k-means++ for every restart at once: each next seed drawn with probability proportional to the
 * squared distance to that restart's seeds so far.
 */
async function kMeansPlusPlus({ x, rows, norms }: Prepared, k: number, restarts: number, random: () => number, kernels: DenseKernels): Promise<Float64Array[]> {
  const { rows: n, cols: d } = x;
  const centres = Array.from({ length: restarts }, () => new Float64Array(k * d));
  const closest = Array.from({ length: restarts }, () => new Float64Array(n).fill(Infinity));
  for (let c = 0; c < k; c++) {
    const seeds = closest.map((weights) => (c === 0 ? Math.floor(random() * n) : drawWeighted(weights, random)));
    seeds.forEach((row, r) => centres[r]!.set(x.data.subarray(row * d, (row + 1) * d), c * d));
    // rows x [-2s, ||s||²]ᵀ = ||x - s||² - ||x||² for each restart's new seed s.
    const scores = await kernels.matmul(rows.data, n, d + 1, transposeRows(augmentedCentres(seeds.map((row) => x.data.subarray(row * d, (row + 1) * d)), 1, d), restarts, d + 1), restarts);
    closest.forEach((weights, r) => {
      for (let i = 0; i < n; i++) weights[i] = Math.min(weights[i]!, Math.max(0, norms[i]! + scores[i * restarts + r]!));
    });
  }
  return centres;
}

function drawWeighted(weights: Float64Array, random: () => number): number {
  let target = random() * weights.reduce((sum, value) => sum + value, 0);
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** One assignment step for these runs (one product for all); moves each row that changed cell in the sums. */
async function assign({ x, rows, norms }: Prepared, runs: readonly Run[], kernels: DenseKernels): Promise<void> {
  const k = runs[0]!.counts.length;
  const g = runs.length;
  const { labels, scores } = await kernels.nearestInGroups(rows, augmentedCentres(runs.map((run) => run.centres), k, x.cols), g, k);
  runs.forEach((run, r) => {
    run.changed = 0;
    run.inertia = 0;
    for (let i = 0; i < x.rows; i++) {
      const next = labels[i * g + r]!;
      run.inertia += Math.max(0, norms[i]! + scores[i * g + r]!);
      if (next === run.labels[i]) continue;
      moveRow(x, i, run.labels[i]!, next, run.sums, run.counts);
      run.labels[i] = next;
      run.changed++;
    }
  });
}

/** Centres to the means of their rows; returns the total squared shift. */
function updateCentres(run: Run, d: number): number {
  let shift = 0;
  for (let c = 0; c < run.counts.length; c++) {
    for (let j = 0; j < d; j++) {
      const moved = run.sums[c * d + j]! / run.counts[c]!;
      shift += (moved - run.centres[c * d + j]!) ** 2;
      run.centres[c * d + j] = moved;
    }
  }
  return shift;
}

/** Moves row r from cell `from` (-1: none) to cell `to` in the per-cell sums and counts. */
function moveRow(x: Matrix, r: number, from: number, to: number, sums: Float64Array, counts: Int32Array): void {
  const d = x.cols;
  for (let j = 0; j < d; j++) {
    const value = x.data[r * d + j]!;
    if (from >= 0) sums[from * d + j]! -= value;
    sums[to * d + j]! += value;
  }
  if (from >= 0) counts[from]!--;
  counts[to]!++;
}

/** An emptied cell restarts at the row worst served by its centre, so no cell is left without T. */
function relocateEmptyCells(x: Matrix, run: Run): void {
  const d = x.cols;
  for (let cell = 0; cell < run.counts.length; cell++) {
    if (run.counts[cell] !== 0) continue;
    let farthest = -1;
    let distance = -1;
    for (let r = 0; r < x.rows; r++) {
      const own = run.labels[r]!;
      if (run.counts[own]! < 2) continue; // moving a cell's only row would empty it
      let squared = 0;
      for (let j = 0; j < d; j++) squared += (x.data[r * d + j]! - run.centres[own * d + j]!) ** 2;
      if (squared > distance) {
        distance = squared;
        farthest = r;
      }
    }
    run.sums.fill(0, cell * d, (cell + 1) * d);
    moveRow(x, farthest, run.labels[farthest]!, cell, run.sums, run.counts);
    run.labels[farthest] = cell;
  }
}

/** Rows with a trailing 1: x·[-2c, ||c||²] = ||x - c||² - ||x||². */
function withOnes(x: Matrix): Matrix {
  const d = x.cols;
  const data = new Float32Array(x.rows * (d + 1));
  for (let r = 0; r < x.rows; r++) {
    data.set(x.data.subarray(r * d, (r + 1) * d), r * (d + 1));
    data[r * (d + 1) + d] = 1;
  }
  return { rows: x.rows, cols: d + 1, data };
}

/** Groups of k centres (each k x d, row-major) as rows [-2c, ||c||²], group after group. */
function augmentedCentres(groups: readonly ArrayLike<number>[], k: number, d: number): Float32Array {
  const out = new Float32Array(groups.length * k * (d + 1));
  groups.forEach((centres, g) => {
    for (let c = 0; c < k; c++) {
      const row = (g * k + c) * (d + 1);
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const value = centres[c * d + j]!;
        out[row + j] = -2 * value;
        norm += value * value;
      }
      out[row + d] = norm;
    }
  });
  return out;
}

function transposeRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

function squaredNorms(x: Matrix): Float64Array {
  const d = x.cols;
  const norms = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += x.data[r * d + j]! ** 2;
    norms[r] = sum;
  }
  return norms;
}

/** Mean over features of each feature's variance (scikit-learn's scale for tol). */
function meanVariance(x: Matrix): number {
  const { rows: n, cols: d } = x;
  const sums = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const value = x.data[r * d + j]!;
      sums[j]! += value;
      squares[j]! += value * value;
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += Math.max(0, squares[j]! / n - (sums[j]! / n) ** 2);
  return total / d;
}
