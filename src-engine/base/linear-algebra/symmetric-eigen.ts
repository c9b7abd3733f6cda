// Eigendecomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then
// the implicit QL algorithm (tred2 / tql2 of EISPACK, as in the public-domain JAMA library).
// O(d³) and exact to rounding, which is all PCA of a d×d covariance needs.

export type SymmetricEigen = {
  /** Eigenvalues, largest first. */
  values: number[];
  /** vectors[i] is the unit eigenvector of values[i]. */
  vectors: Float64Array[];
};

/** `matrix` is d×d, row-major, symmetric (only trusted to be so; not checked). */
export function symmetricEigen(matrix: Float64Array, d: number): SymmetricEigen {
  const v = Array.from({ length: d }, (_, i) => Float64Array.from(matrix.subarray(i * d, (i + 1) * d)));
  const values = new Float64Array(d);
  const offDiagonal = new Float64Array(d);
  householderTridiagonal(v, values, offDiagonal);
  implicitQl(v, values, offDiagonal);
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => values[y]! - values[x]!);
  return {
    values: order.map((i) => values[i]!),
    vectors: order.map((i) => Float64Array.from(v, (row) => row[i]!)),
  };
}

function householderTridiagonal(v: Float64Array[], d: Float64Array, e: Float64Array): void {
  const n = d.length;
  for (let j = 0; j < n; j++) d[j] = v[n - 1]![j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[i - 1]![j]!;
        v[i]![j] = 0;
        v[j]![i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j]![i] = f;
        g = e[j]! + v[j]![j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k]![j]! * d[k]!;
          e[k] = e[k]! + v[k]![j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k]![j] = v[k]![j]! - (f * e[k]! + g * d[k]!);
        d[j] = v[i - 1]![j]!;
        v[i]![j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[n - 1]![i] = v[i]![i]!;
    v[i]![i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k]![i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k]![i + 1]! * v[k]![j]!;
        for (let k = 0; k <= i; k++) v[k]![j] = v[k]![j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k]![i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[n - 1]![j]!;
    v[n - 1]![j] = 0;
  }
  v[n - 1]![n - 1] = 1;
  e[0] = 0;
}

function implicitQl(v: Float64Array[], d: Float64Array, e: Float64Array): void {
  const n = d.length;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      do {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const row = v[k]!;
            h = row[i + 1]!;
            row[i + 1] = s * row[i]! + c * h;
            row[i] = c * row[i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
