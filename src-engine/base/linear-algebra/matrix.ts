// Row-major embedding matrices. Float32 storage halves memory for large reference sets; all
// arithmetic on them runs in doubles (JS numbers).

export type Matrix = { rows: number; cols: number; data: Float32Array };

export function matrixFromRows(rows: readonly ArrayLike<number>[], cols?: number): Matrix {
  const width = cols ?? rows[0]?.length ?? 0;
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`row ${i} has ${row.length} values, expected ${width}`);
    data.set(row, i * width);
  });
  return { rows: rows.length, cols: width, data };
}

/** The rows at the given indices, in that order. */
export function selectRows(matrix: Matrix, indices: readonly number[]): Matrix {
  const data = new Float32Array(indices.length * matrix.cols);
  indices.forEach((row, i) => data.set(matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols), i * matrix.cols));
  return { rows: indices.length, cols: matrix.cols, data };
}
