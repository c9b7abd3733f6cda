// Pool-adjacent-violators: the weighted least-squares non-decreasing fit, which for 0/1 targets
// sorted by score is the optimal monotone posterior (the basis of Cllr_min).

/** Non-decreasing fit of `values` (in their given order) with the given positive weights. */
export function poolAdjacentViolators(values: readonly number[], weights: readonly number[] = values.map(() => 1)): number[] {
  const blocks: { mean: number; weight: number; count: number }[] = [];
  values.forEach((value, i) => {
    let block = { mean: value, weight: weights[i]!, count: 1 };
    while (blocks.length > 0 && blocks[blocks.length - 1]!.mean >= block.mean) {
      const previous = blocks.pop()!;
      const weight = previous.weight + block.weight;
      block = { mean: (previous.mean * previous.weight + block.mean * block.weight) / weight, weight, count: previous.count + block.count };
    }
    blocks.push(block);
  });
  return blocks.flatMap((block) => Array<number>(block.count).fill(block.mean));
}

/**
 * The best log10 LRs any monotone calibration of these scores could give (PAV on the pooled,
 * sorted scores; equal scores pooled first so they share one LR), divided by the empirical
 * prior odds. Returned in the input order of each set.
 */
export function optimalLog10Lrs(same: readonly number[], different: readonly number[]): { same: number[]; different: number[] } {
  const points = [...same.map((score, i) => ({ score, target: 1, set: 0, i })), ...different.map((score, i) => ({ score, target: 0, set: 1, i }))];
  points.sort((x, y) => x.score - y.score);
  const tieGroups: (typeof points)[] = [];
  for (const point of points) {
    const last = tieGroups[tieGroups.length - 1];
    if (last !== undefined && last[0]!.score === point.score) last.push(point);
    else tieGroups.push([point]);
  }
  const posteriors = poolAdjacentViolators(
    tieGroups.map((group) => group.reduce((sum, p) => sum + p.target, 0) / group.length),
    tieGroups.map((group) => group.length),
  );
  const log10PriorOdds = Math.log10(same.length / different.length);
  const result = { same: new Array<number>(same.length), different: new Array<number>(different.length) };
  tieGroups.forEach((group, g) => {
    const posterior = posteriors[g]!;
    const log10Lr = Math.log10(posterior) - Math.log10(1 - posterior) - log10PriorOdds;
    for (const p of group) (p.set === 0 ? result.same : result.different)[p.i] = log10Lr;
  });
  return result;
}
