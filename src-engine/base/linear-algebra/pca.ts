// PCA fitted on the training set T only (docs/methods.md §2 step 1). Variances use n - 1 like
// scikit-learn's explained_variance_. Two fits of the same model:
// - fitPca: eigendecomposition of the whole covariance in JS, float64. Exact, synchronous,
//   O(n d² + d³): for small inputs (the gallery map's handful of fingerprints, or d <= k + 10).
// - fitPcaFast: what C_T uses. For d > k + 10 the top k axes by randomized subspace iteration
//   (Halko, Martinsson & Tropp 2011), as scikit-learn's PCA itself does for inputs of this shape
//   (Debian's 1.2 picks svd_solver='randomized': k + 10 columns, 7 power iterations, 4 when
//   k >= 0.1 min(n, d)), with the products in onnxruntime in float32 (dense-kernels.ts), as
//   scikit-learn computes on float32 embeddings. A full eigendecomposition of a 768 x 768
//   covariance takes ~5 s in JS; this, a small fraction of that. Variances and axes agree with
//   the exact fit to float32 precision; for d <= k + 10 it IS the exact fit.
import { mulberry32 } from '../seeded-random.ts';
import type { DenseKernels } from './dense-kernels.ts';
import type { Matrix } from './matrix.ts';
import { symmetricEigen } from './symmetric-eigen.ts';

export type Pca = {
  mean: Float64Array;
  /** Unit principal axes, largest variance first; sign fixed so each axis's largest-magnitude entry is positive. */
  components: Float64Array[];
  explainedVariance: number[];
};

const OVERSAMPLES = 10;

export function fitPca(t: Matrix, dimensions: number): Pca {
  const d = t.cols;
  const mean = columnMeans(t);
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let r = 0; r < t.rows; r++) {
    for (let c = 0; c < d; c++) centred[c] = t.data[r * d + c]! - mean[c]!;
    for (let i = 0; i < d; i++) {
      const xi = centred[i]!;
      for (let j = i; j < d; j++) covariance[i * d + j] = covariance[i * d + j]! + xi * centred[j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const value = covariance[i * d + j]! / (t.rows - 1);
      covariance[i * d + j] = value;
      covariance[j * d + i] = value;
    }
  }
  const { values, vectors } = symmetricEigen(covariance, d);
  const kept = keptDimensions(t, dimensions);
  return {
    mean,
    components: vectors.slice(0, kept).map((axis) => withDeterministicSign(axis).axis),
    explainedVariance: values.slice(0, kept).map((value) => Math.max(0, value)),
  };
}

/** The PCA of T and T's own projection onto it (which the randomized fit gets almost for free). */
export async function fitPcaFast(t: Matrix, dimensions: number, kernels: DenseKernels, seed = 0): Promise<{ pca: Pca; projected: Matrix }> {
  const { rows: n, cols: d } = t;
  const kept = keptDimensions(t, dimensions);
  const width = Math.min(kept + OVERSAMPLES, d);
  if (width === d) {
    // The search would span the whole space: the exact decomposition is as cheap.
    const pca = fitPca(t, dimensions);
    return { pca, projected: await projectPcaFast(pca, t, kernels) };
  }
  const { mean, scatter } = await kernels.meanAndScatter(t);
  const random = mulberry32(seed);
  // basis: `width` orthonormal rows of length d spanning the search subspace; (C Z)ᵀ = Zᵀ C for
  // the symmetric scatter C, so the basis stays row-major, one vector per row.
  let basis = orthonormalRows(Float64Array.from({ length: width * d }, () => gaussian(random)), width, d, random, 1);
  const powerIterations = kept < 0.1 * Math.min(n, d) ? 7 : 4;
  for (let i = 0; i <= powerIterations; i++) {
    // One Gram-Schmidt pass keeps the basis orthogonal to ~1e-16 x its condition number between
    // products; the final basis gets the second pass.
    basis = orthonormalRows(Float64Array.from(await kernels.matmul(basis, width, d, scatter, d)), width, d, random, i === powerIterations ? 2 : 1);
  }
  // Rayleigh-Ritz on the data: Y = (T - mean) Z, eigenvectors of YᵀY / (n - 1).
  const { product, gram } = await kernels.centredProduct(t, mean, transpose(basis, width, d), width);
  const { values, vectors } = symmetricEigen(Float64Array.from(gram, (value) => value / (n - 1)), width);
  // Row j of `coordinates`: the j-th Ritz vector in the basis' coordinates; axis j = that row x basis.
  const coordinates = new Float64Array(kept * width);
  vectors.slice(0, kept).forEach((vector, j) => coordinates.set(vector, j * width));
  const axes = await kernels.matmul(coordinates, kept, width, basis, d);
  // Column j of `ritz`: the same vector with the sign its axis gets, for T's projection Y ritz.
  const ritz = new Float64Array(width * kept);
  const components = Array.from({ length: kept }, (_, j) => {
    const signed = withDeterministicSign(Float64Array.from(axes.subarray(j * d, (j + 1) * d)));
    for (let i = 0; i < width; i++) ritz[i * kept + j] = signed.sign * coordinates[j * width + i]!;
    return signed.axis;
  });
  return {
    pca: { mean: Float64Array.from(mean), components, explainedVariance: values.slice(0, kept).map((value) => Math.max(0, value)) },
    projected: { rows: n, cols: kept, data: await kernels.matmul(product, n, width, ritz, kept) },
  };
}

export function projectPca(pca: Pca, x: Matrix): Matrix {
  const k = pca.components.length;
  const d = x.cols;
  if (d !== pca.mean.length) throw new Error(`PCA was fitted on ${pca.mean.length} dimensions, got ${d}`);
  const data = new Float32Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < k; j++) {
      const axis = pca.components[j]!;
      let sum = 0;
      for (let c = 0; c < d; c++) sum += (x.data[r * d + c]! - pca.mean[c]!) * axis[c]!;
      data[r * k + j] = sum;
    }
  }
  return { rows: x.rows, cols: k, data };
}

/** projectPca with the product in onnxruntime (float32), for sets of any size. */
export async function projectPcaFast(pca: Pca, x: Matrix, kernels: DenseKernels): Promise<Matrix> {
  const k = pca.components.length;
  const d = x.cols;
  if (d !== pca.mean.length) throw new Error(`PCA was fitted on ${pca.mean.length} dimensions, got ${d}`);
  if (x.rows === 0) return { rows: 0, cols: k, data: new Float32Array(0) };
  const axes = new Float32Array(d * k);
  pca.components.forEach((axis, j) => axis.forEach((value, c) => (axes[c * k + j] = value)));
  const { product } = await kernels.centredProduct(x, pca.mean, axes, k);
  return { rows: x.rows, cols: k, data: product };
}

function keptDimensions(t: Matrix, dimensions: number): number {
  if (t.rows < 2) throw new Error('PCA needs at least two training rows');
  return Math.min(dimensions, t.cols, t.rows);
}

function columnMeans(t: Matrix): Float64Array {
  const d = t.cols;
  const mean = new Float64Array(d);
  for (let r = 0; r < t.rows; r++) for (let c = 0; c < d; c++) mean[c] = mean[c]! + t.data[r * d + c]!;
  for (let c = 0; c < d; c++) mean[c] = mean[c]! / t.rows;
  return mean;
}

// Eigenvectors are defined up to sign; pin it (as scikit-learn's svd_flip does) so that
// projections are reproducible across runs and machines.
function withDeterministicSign(axis: Float64Array): { axis: Float64Array; sign: 1 | -1 } {
  let largest = 0;
  for (const value of axis) if (Math.abs(value) > Math.abs(largest)) largest = value;
  return largest < 0 ? { axis: axis.map((value) => -value), sign: -1 } : { axis, sign: 1 };
}

/**
 * Modified Gram-Schmidt in one or two passes (two: "twice is enough", orthogonal to rounding even
 * for ill-conditioned input). A row that vanishes (T has fewer independent directions than the basis is wide) is
 * replaced by a random one, orthogonalised like the others.
 */
function orthonormalRows(rows: Float64Array, count: number, d: number, random: () => number, passes: 1 | 2): Float64Array {
  for (let i = 0; i < count; i++) {
    const at = i * d;
    const before = norm(rows, at, d);
    for (let pass = 0; pass < passes; pass++) {
      for (let j = 0; j < i; j++) {
        const other = j * d;
        let dot = 0;
        for (let c = 0; c < d; c++) dot += rows[at + c]! * rows[other + c]!;
        for (let c = 0; c < d; c++) rows[at + c]! -= dot * rows[other + c]!;
      }
    }
    const after = norm(rows, at, d);
    if (!(after > 1e-10 * before)) {
      for (let c = 0; c < d; c++) rows[at + c] = gaussian(random);
      i--;
      continue;
    }
    for (let c = 0; c < d; c++) rows[at + c]! /= after;
  }
  return rows;
}

function norm(rows: Float64Array, at: number, d: number): number {
  let sum = 0;
  for (let c = 0; c < d; c++) sum += rows[at + c]! ** 2;
  return Math.sqrt(sum);
}
function transpose(rows: Float64Array, count: number, d: number): Float64Array {
  const out = new Float64Array(d * count);
  for (let i = 0; i < count; i++) for (let c = 0; c < d; c++) out[c * count + i] = rows[i * d + c]!;
  return out;
}

/** Standard normal by Box-Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
