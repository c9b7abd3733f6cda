// KMeans partition of T (methods.md §2 step 1): Lloyd iterations from k-means++ seeds, best of
// several restarts by inertia. Seeded, so the same inputs always give the same cells.
import { mulberry32 } from '../evaluation/seeded-random.ts';
import type { Matrix } from './matrix.ts';

export type KMeansOptions = { clusters: number; restarts: number; seed: number; maxIterations?: number };
export type KMeansResult = { centroids: Matrix; labels: Int32Array; inertia: number };

export function kMeans(x: Matrix, options: KMeansOptions): KMeansResult {
  if (x.rows < options.clusters) throw new Error(`KMeans needs at least ${options.clusters} rows, got ${x.rows}`);
  const random = mulberry32(options.seed);
  let best: KMeansResult | undefined;
  for (let restart = 0; restart < options.restarts; restart++) {
    const result = lloyd(x, kMeansPlusPlus(x, options.clusters, random), options.maxIterations ?? 300);
    if (best === undefined || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/** Index of the nearest centroid (squared Euclidean) of every row. */
export function assignToCells(centroids: Matrix, x: Matrix): Int32Array {
  const labels = new Int32Array(x.rows);
  for (let r = 0; r < x.rows; r++) labels[r] = nearestCentroid(centroids, x, r).index;
  return labels;
}

function kMeansPlusPlus(x: Matrix, k: number, random: () => number): Matrix {
  const centroids: Matrix = { rows: k, cols: x.cols, data: new Float32Array(k * x.cols) };
  const first = Math.floor(random() * x.rows);
  centroids.data.set(rowOf(x, first), 0);
  const closest = new Float64Array(x.rows).map((_, r) => squaredDistance(x, r, centroids, 0));
  for (let c = 1; c < k; c++) {
    // Next seed drawn with probability proportional to the squared distance to the seeds so far.
    const total = closest.reduce((sum, value) => sum + value, 0);
    let target = random() * total;
    let chosen = x.rows - 1;
    for (let r = 0; r < x.rows; r++) {
      target -= closest[r]!;
      if (target < 0) {
        chosen = r;
        break;
      }
    }
    centroids.data.set(rowOf(x, chosen), c * x.cols);
    for (let r = 0; r < x.rows; r++) closest[r] = Math.min(closest[r]!, squaredDistance(x, r, centroids, c));
  }
  return centroids;
}

function lloyd(x: Matrix, centroids: Matrix, maxIterations: number): KMeansResult {
  const k = centroids.rows;
  const d = x.cols;
  const labels = new Int32Array(x.rows).fill(-1);
  const distances = new Float64Array(x.rows);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    for (let r = 0; r < x.rows; r++) {
      const { index, distance } = nearestCentroid(centroids, x, r);
      if (labels[r] !== index) changed = true;
      labels[r] = index;
      distances[r] = distance;
    }
    if (!changed) break;
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let r = 0; r < x.rows; r++) {
      const cell = labels[r]!;
      counts[cell] = counts[cell]! + 1;
      for (let c = 0; c < d; c++) sums[cell * d + c] = sums[cell * d + c]! + x.data[r * d + c]!;
    }
    for (let cell = 0; cell < k; cell++) {
      if (counts[cell] === 0) {
        // An emptied cell restarts at the row worst served by its centroid, so no cell is left without T.
        const farthest = indexOfLargest(distances);
        centroids.data.set(rowOf(x, farthest), cell * d);
        distances[farthest] = 0;
        labels[farthest] = -1;
        continue;
      }
      for (let c = 0; c < d; c++) centroids.data[cell * d + c] = sums[cell * d + c]! / counts[cell]!;
    }
  }
  // Final assignment and inertia against the final centroids.
  let inertia = 0;
  for (let r = 0; r < x.rows; r++) {
    const { index, distance } = nearestCentroid(centroids, x, r);
    labels[r] = index;
    inertia += distance;
  }
  return { centroids, labels, inertia };
}

function nearestCentroid(centroids: Matrix, x: Matrix, row: number): { index: number; distance: number } {
  let index = 0;
  let distance = Infinity;
  for (let c = 0; c < centroids.rows; c++) {
    const candidate = squaredDistance(x, row, centroids, c);
    if (candidate < distance) {
      distance = candidate;
      index = c;
    }
  }
  return { index, distance };
}

function squaredDistance(x: Matrix, row: number, centroids: Matrix, centroid: number): number {
  let sum = 0;
  for (let c = 0; c < x.cols; c++) sum += (x.data[row * x.cols + c]! - centroids.data[centroid * x.cols + c]!) ** 2;
  return sum;
}

function indexOfLargest(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function rowOf(x: Matrix, row: number): Float32Array {
  return x.data.subarray(row * x.cols, (row + 1) * x.cols);
}
