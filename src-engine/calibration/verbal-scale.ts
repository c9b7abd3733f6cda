// Verbal equivalents of a likelihood ratio, after the ENFSI Guideline for Evaluative Reporting in
// Forensic Science (2015), whose scale is: LR 2-10 weak, 10-100 moderate, 100-1000 moderately
// strong, 1000-10 000 strong, 10 000-1 000 000 very strong, above 1 000 000 extremely strong
// support, mirrored (1/LR) for support of the alternative. Below LR 10 either way (|log10 LR| < 1)
// we word the finding as inconclusive: a "weak support" from an automated score is too easily
// read as a finding, and forensic-practice.md asks for an honest inconclusive.

import type { Proposition, Strength, VerbalEquivalent } from '../api/calibration.ts';

export type { Proposition, Strength, VerbalEquivalent } from '../api/calibration.ts';

/** Lower bounds of |log10 LR| for each band, strongest first. */
const BANDS: readonly { from: number; strength: Strength }[] = [
  { from: 6, strength: 'extremely strong' },
  { from: 4, strength: 'very strong' },
  { from: 3, strength: 'strong' },
  { from: 2, strength: 'moderately strong' },
  { from: 1, strength: 'moderate' },
];

/** What the two propositions say; a comparison of two sets words them differently. */
export type PropositionTexts = Record<Proposition, string>;

const PROPOSITION_TEXT: PropositionTexts = {
  'same-model': 'the image was made by the candidate model',
  'other-model': 'the image was made by another model of the relevant population',
};

export function verbalEquivalent(log10Lr: number, propositions: PropositionTexts = PROPOSITION_TEXT): VerbalEquivalent {
  if (Number.isNaN(log10Lr)) throw new Error('log10 LR is NaN');
  const band = BANDS.find((candidate) => Math.abs(log10Lr) >= candidate.from);
  if (band === undefined) {
    return {
      strength: 'inconclusive',
      favours: null,
      wording: 'Inconclusive: the findings give no more than weak support to either proposition (LR between 1/10 and 10).',
    };
  }
  const favours: Proposition = log10Lr > 0 ? 'same-model' : 'other-model';
  const alternative: Proposition = favours === 'same-model' ? 'other-model' : 'same-model';
  return {
    strength: band.strength,
    favours,
    wording: `The findings provide ${band.strength} support for the proposition that ${propositions[favours]}, rather than that ${propositions[alternative]}.`,
  };
}
