// Distance from each query row to its nearest reference row. The query x reference products run
// in onnxruntime in float32 (base/linear-algebra/dense-kernels.ts) and only shortlist CANDIDATES rows per query; their
// distances are then measured exactly, in float64, here. float32 alone would be off by up to
// ~1e-5 for near-copies (1 - |cos| and the ||q||² + ||r||² - 2 q·r form both cancel there), which
// is exactly where C_T looks; a shortlist misses the true nearest row only if more than
// CANDIDATES rows tie with it to float32 precision, and then their distances agree to that precision.
import type { DenseKernels } from '../base/linear-algebra/dense-kernels.ts';
import type { Matrix } from '../base/linear-algebra/matrix.ts';

/** 'cosine' is 1 - |cos| (the embedding-space-selection paper's default); 'euclidean' is Meehan's original. */
export type DistanceKind = 'cosine' | 'euclidean';

const CANDIDATES = 4;

/** Reference rows prepared once for many queries (a C_T cell's T rows serve P and every Q). */
export interface NearestReference {
  kind: DistanceKind;
  rows: Matrix;
  /** Unit rows ('cosine'; a zero row stays zero) for the shortlist. */
  unit: Matrix;
  squaredNorms: Float64Array;
}

export function nearestReference(rows: Matrix, kind: DistanceKind): NearestReference {
  if (rows.rows === 0) throw new Error('no reference rows to measure distances to');
  const squaredNorms = rowSquaredNorms(rows);
  return { kind, rows, unit: kind === 'cosine' ? unitRows(rows, squaredNorms) : rows, squaredNorms };
}

export async function nearestDistances(queries: Matrix, reference: NearestReference, kernels: DenseKernels): Promise<Float64Array> {
  const { rows, kind } = reference;
  if (queries.cols !== rows.cols) throw new Error(`dimension mismatch: ${queries.cols} vs ${rows.cols}`);
  if (queries.rows === 0) return new Float64Array(0);
  const cosine = kind === 'cosine';
  const queryNorms = rowSquaredNorms(queries);
  const candidates = cosine
    ? await kernels.bestCandidates('largest-abs-dot', unitRows(queries, queryNorms), reference.unit, CANDIDATES)
    : await kernels.bestCandidates('smallest-partial-distance', queries, rows, CANDIDATES, Float32Array.from(reference.squaredNorms));
  const shortlist = candidates.length / queries.rows;
  const d = queries.cols;
  const distances = new Float64Array(queries.rows);
  for (let q = 0; q < queries.rows; q++) {
    let best = Infinity;
    for (let i = 0; i < shortlist; i++) {
      const r = candidates[q * shortlist + i]!;
      let dot = 0;
      let gap = 0;
      for (let c = 0; c < d; c++) {
        const a = queries.data[q * d + c]!;
        const b = rows.data[r * d + c]!;
        dot += a * b;
        gap += (a - b) * (a - b);
      }
      const norms = Math.sqrt(queryNorms[q]! * reference.squaredNorms[r]!);
      const distance = cosine ? Math.max(0, 1 - Math.min(1, norms > 0 ? Math.abs(dot) / norms : 0)) : Math.sqrt(gap);
      if (distance < best) best = distance;
    }
    distances[q] = best;
  }
  return distances;
}

function rowSquaredNorms(matrix: Matrix): Float64Array {
  const { rows, cols, data } = matrix;
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += data[r * cols + c]! ** 2;
    norms[r] = sum;
  }
  return norms;
}

function unitRows(matrix: Matrix, squaredNorms: Float64Array): Matrix {
  const { rows, cols } = matrix;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const length = Math.sqrt(squaredNorms[r]!);
    if (length > 0) for (let c = 0; c < cols; c++) data[r * cols + c] = matrix.data[r * cols + c]! / length;
  }
  return { rows, cols, data };
}
