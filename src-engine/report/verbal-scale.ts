// Verbal equivalents of likelihood ratios (ENFSI guideline for evaluative reporting, 2015): the
// report states the strength of the evidence for one proposition against the other, never the
// probability of a proposition.
const SCALE: ReadonlyArray<[maxRatio: number, words: string]> = [
  [1, 'no support for either proposition'],
  [10, 'weak support'],
  [100, 'moderate support'],
  [1_000, 'moderately strong support'],
  [10_000, 'strong support'],
  [1_000_000, 'very strong support'],
  [Infinity, 'extremely strong support'],
];

/** "moderate support for the first proposition", or for the alternative when the ratio is below 1. */
export function verbalEquivalent(likelihoodRatio: number): string {
  if (!(likelihoodRatio > 0) || !Number.isFinite(likelihoodRatio)) return 'not stated (the likelihood ratio is not a finite positive number)';
  if (likelihoodRatio === 1) return SCALE[0]![1];
  const favoursFirst = likelihoodRatio > 1;
  const strength = favoursFirst ? likelihoodRatio : 1 / likelihoodRatio;
  const words = SCALE.find(([max]) => strength <= max)![1];
  return `${words} for ${favoursFirst ? 'the first proposition' : 'the alternative proposition'}`;
}
