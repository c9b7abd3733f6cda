// The score every LR is calibrated on: the cosine with a gallery entry minus the mean cosine with
// the other entries of the gallery (a cohort normalisation, as speaker recognition's T-norm without
// the scale). Compression, size and content move all of an image's cosines together; the margin
// over the cohort keeps what tells one generator from the others, and transfers across populations
// of generators far better than the raw cosine (docs/results/real-generators.md).

/** Other gallery entries a normalised score needs: with fewer the cohort mean is too noisy to trust. */
export const MIN_COHORT = 4;

/** Each score minus the mean of the other (non-NaN) scores; NaN stays NaN, and a lone score has no cohort (NaN). */
export function cohortScores(cosines: ArrayLike<number>): number[] {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < cosines.length; i++) {
    if (!Number.isNaN(cosines[i]!)) {
      sum += cosines[i]!;
      count++;
    }
  }
  return Array.from(cosines, (s) => (Number.isNaN(s) || count < 2 ? Number.NaN : s - (sum - s) / (count - 1)));
}
