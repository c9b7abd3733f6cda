// Mann-Whitney U and the normal-approximation z of docs/methods.md §2 step 3.

/**
 * U = number of (q, p) pairs with q > p, ties counting one half. Both samples sorted (native
 * typed-array sort), then one merge: O(n log n + m log m), no per-value objects.
 */
export function mannWhitneyU(q: ArrayLike<number>, p: ArrayLike<number>): number {
  const qs = Float64Array.from(q).sort();
  const ps = Float64Array.from(p).sort();
  let u = 0;
  let below = 0; // p values < the current q
  let equal = 0; // p values == the current q (counted from `below` on)
  for (let i = 0; i < qs.length; i++) {
    const value = qs[i]!;
    if (i === 0 || value !== qs[i - 1]) {
      below += equal;
      while (below < ps.length && ps[below]! < value) below++;
      equal = 0;
      while (below + equal < ps.length && ps[below + equal] === value) equal++;
    }
    u += below + equal / 2;
  }
  return u;
}

/**
 * z = (U - nm/2 + 1/2) / sqrt(nm(n+m+1)/12), n = |P|, m = |Q|, exactly as the reference code:
 * the +1/2 is its continuity term and there is NO tie correction of the variance (ties among
 * continuous distances are rare; correcting would make our values differ from the paper's).
 */
export function mannWhitneyZ(u: number, n: number, m: number): number {
  return (u - (n * m) / 2 + 0.5) / Math.sqrt((n * m * (n + m + 1)) / 12);
}
