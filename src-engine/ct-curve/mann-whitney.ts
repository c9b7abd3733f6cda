// Mann-Whitney U and the normal-approximation z of methods.md §2 step 3.

/** U = number of (q, p) pairs with q > p, ties counting one half; by ranks in O((n+m) log(n+m)). */
export function mannWhitneyU(q: ArrayLike<number>, p: ArrayLike<number>): number {
  const m = q.length;
  const pooled = [...Array.from(q, (value) => ({ value, fromQ: true })), ...Array.from(p, (value) => ({ value, fromQ: false }))];
  pooled.sort((x, y) => x.value - y.value);
  let qRankSum = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end < pooled.length && pooled[end]!.value === pooled[start]!.value) end++;
    const midRank = (start + 1 + end) / 2; // 1-based ranks start+1..end share their mean
    for (let i = start; i < end; i++) if (pooled[i]!.fromQ) qRankSum += midRank;
    start = end;
  }
  return qRankSum - (m * (m + 1)) / 2;
}

/**
 * z = (U - nm/2 + 1/2) / sqrt(nm(n+m+1)/12), n = |P|, m = |Q|, exactly as the reference code:
 * the +1/2 is its continuity term and there is NO tie correction of the variance (ties among
 * continuous distances are rare; correcting would make our values differ from the paper's).
 */
export function mannWhitneyZ(u: number, n: number, m: number): number {
  return (u - (n * m) / 2 + 0.5) / Math.sqrt((n * m * (n + m + 1)) / 12);
}
