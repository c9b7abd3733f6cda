// The set-encoder paper's decorrelation score (docs/methods.md §3, paper eq. 3-6):
//   rho[i][j] = mean over held-out items n of generator i of |corr(x_(i,n), z_j)|,
//   score     = ||rho - I||_F / M^2,
// where x is a held-out item's fingerprint (an image embedding, or a bag's set fingerprint), z_j is
// generator j's gallery fingerprint, and corr is the Pearson correlation of the two vectors taken
// across their D dimensions (numpy.corrcoef(x, z)[0, 1]). The paper reads a higher score as "more
// decorrelated"; note that by the formula a perfect rho = I scores 0, so the mean own-generator
// and other-generator correlations are reported beside it to make the score readable.

/** Pearson correlation of two vectors over their components; 0 when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const [da, db] = [a[i]! - ma, b[i]! - mb];
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

export interface Decorrelation {
  /** ||rho - I||_F / M^2 over the generators that have held-out items. */
  score: number;
  /** Mean of rho's diagonal: how well held-out items correlate with their own generator's fingerprint. */
  meanOwn: number;
  /** Mean of rho off the diagonal: correlation with the other generators' fingerprints. */
  meanOther: number;
  /** rho, rows = the items' generator, columns = the fingerprint's generator (both in `classes` order). */
  rho: number[][];
}

/**
 * `items[k]` belongs to class `labels[k]`; `fingerprints[c]` is class c's fingerprint. Classes with
 * no item are left out of rho (its rows and columns), so M counts the classes that have items.
 */
export function decorrelation(items: readonly ArrayLike<number>[], labels: readonly number[], fingerprints: readonly ArrayLike<number>[]): Decorrelation | null {
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const m = classes.length;
  if (m === 0) return null;
  const rho = classes.map((i) => {
    const own = items.filter((_, k) => labels[k] === i);
    return classes.map((j) => own.reduce((sum, x) => sum + Math.abs(pearson(x, fingerprints[j]!)), 0) / own.length);
  });
  let squares = 0;
  let diagonal = 0;
  let offDiagonal = 0;
  rho.forEach((row, i) =>
    row.forEach((value, j) => {
      squares += (value - (i === j ? 1 : 0)) ** 2;
      if (i === j) diagonal += value;
      else offDiagonal += value;
    }),
  );
  return { score: Math.sqrt(squares) / (m * m), meanOwn: diagonal / m, meanOther: m > 1 ? offDiagonal / (m * (m - 1)) : Number.NaN, rho };
}
