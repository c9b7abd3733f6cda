// PCA fitted on the training set T only (methods.md §2 step 1), by eigendecomposition of T's
// covariance. Variances use n - 1 like scikit-learn's explained_variance_.
import type { Matrix } from './matrix.ts';
import { symmetricEigen } from './symmetric-eigen.ts';

export type Pca = {
  mean: Float64Array;
  /** Unit principal axes, largest variance first; sign fixed so each axis's largest-magnitude entry is positive. */
  components: Float64Array[];
  explainedVariance: number[];
};

export function fitPca(t: Matrix, dimensions: number): Pca {
  if (t.rows < 2) throw new Error('PCA needs at least two training rows');
  const d = t.cols;
  const mean = new Float64Array(d);
  for (let r = 0; r < t.rows; r++) for (let c = 0; c < d; c++) mean[c] = mean[c]! + t.data[r * d + c]!;
  for (let c = 0; c < d; c++) mean[c] = mean[c]! / t.rows;

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
  const kept = Math.min(dimensions, d, t.rows);
  return {
    mean,
    components: vectors.slice(0, kept).map(withDeterministicSign),
    explainedVariance: values.slice(0, kept).map((value) => Math.max(0, value)),
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

// Eigenvectors are defined up to sign; pin it (as scikit-learn's svd_flip does) so that
// projections are reproducible across runs and machines.
function withDeterministicSign(axis: Float64Array): Float64Array {
  let largest = 0;
  for (const value of axis) if (Math.abs(value) > Math.abs(largest)) largest = value;
  return largest < 0 ? axis.map((value) => -value) : axis;
}
