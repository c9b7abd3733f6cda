// Distance from each query row to its nearest reference row, by blocked dot products: a block
// of reference rows stays in cache while every query row of a block is compared with it.
import type { Matrix } from './matrix.ts';

/** 'cosine' is 1 - |cos| (the embedding-space-selection paper's default); 'euclidean' is Meehan's original. */
export type DistanceKind = 'cosine' | 'euclidean';

const QUERY_BLOCK = 64;
const REFERENCE_BLOCK = 256;

export function nearestDistances(queries: Matrix, reference: Matrix, distance: DistanceKind): Float64Array {
  if (queries.cols !== reference.cols) throw new Error(`dimension mismatch: ${queries.cols} vs ${reference.cols}`);
  if (reference.rows === 0) throw new Error('no reference rows to measure distances to');
  const queryNorms = rowNorms(queries);
  const referenceNorms = rowNorms(reference);
  // Best "closeness" so far per query: the largest |cos|, or the smallest ||r||² - 2 q·r.
  const best = new Float64Array(queries.rows).fill(distance === 'cosine' ? -Infinity : Infinity);
  const { cols } = queries;
  for (let q0 = 0; q0 < queries.rows; q0 += QUERY_BLOCK) {
    const q1 = Math.min(q0 + QUERY_BLOCK, queries.rows);
    for (let r0 = 0; r0 < reference.rows; r0 += REFERENCE_BLOCK) {
      const r1 = Math.min(r0 + REFERENCE_BLOCK, reference.rows);
      for (let q = q0; q < q1; q++) {
        const qOffset = q * cols;
        let closest = best[q]!;
        for (let r = r0; r < r1; r++) {
          const rOffset = r * cols;
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += queries.data[qOffset + c]! * reference.data[rOffset + c]!;
          if (distance === 'cosine') {
            const denominator = queryNorms[q]! * referenceNorms[r]!;
            const absCos = denominator > 0 ? Math.abs(dot) / denominator : 0;
            if (absCos > closest) closest = absCos;
          } else {
            const partial = referenceNorms[r]! * referenceNorms[r]! - 2 * dot;
            if (partial < closest) closest = partial;
          }
        }
        best[q] = closest;
      }
    }
  }
  return best.map((closest, q) =>
    distance === 'cosine' ? Math.max(0, 1 - Math.min(1, closest)) : Math.sqrt(Math.max(0, closest + queryNorms[q]! * queryNorms[q]!)),
  );
}

function rowNorms(matrix: Matrix): Float64Array {
  const norms = new Float64Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++) {
    let sum = 0;
    for (let c = 0; c < matrix.cols; c++) sum += matrix.data[r * matrix.cols + c]! ** 2;
    norms[r] = Math.sqrt(sum);
  }
  return norms;
}
