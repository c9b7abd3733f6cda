// How likelihood ratios and attribution decisions read on screen. The LR is written as the CLI and
// reports write it (the contract's lrText): 1/x below 1, never a small decimal that looks like zero.
import type { DecisionKind } from '../../../src-engine/api/contract.ts';
import { lrText } from '../../../src-engine/api/likelihood-ratio.ts';

/** The LR itself from its log10: "LR 340", "LR 1/45", "LR 10^7.2". */
export function formatLr(log10Lr: number): string {
  if (Number.isNaN(log10Lr)) return 'LR —';
  return `LR ${lrText(log10Lr)}`;
}

/** log10 LR with an explicit sign, so support either way is visible at a glance. */
export function formatLog10Lr(log10Lr: number): string {
  if (Number.isNaN(log10Lr)) return '—';
  const fixed = log10Lr.toFixed(2);
  return log10Lr > 0 ? `+${fixed}` : fixed === '-0.00' ? '0.00' : fixed;
}

export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(3) : '—';
}

/** A decision in a word or two, for badges and filters. */
export const DECISION_WORDS: Record<DecisionKind, string> = {
  attributed: 'attributed',
  tied: 'not told apart',
  inconclusive: 'inconclusive',
  'no-known-model': 'no known model',
};

/** "A", "A or B", "A, B or C": the models a tied decision names, none of them alone. */
function either(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' or ') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The headline of an open-set decision, as the examiner reads it. */
export function decisionHeadline(decision: { kind: DecisionKind; model: string | null; candidate: string; alsoSupported: readonly string[] }): string {
  switch (decision.kind) {
    case 'attributed':
      return `Attributed to ${decision.model ?? 'a gallery model'}`;
    case 'tied':
      // The rule's top candidate first, then the models within a factor of 10 of it.
      return `Not told apart: ${either([decision.candidate, ...decision.alsoSupported])}`;
    case 'inconclusive':
      return 'Inconclusive';
    case 'no-known-model':
      return 'No known model';
  }
}

/** "single image", "mean of 5 images", "DeepSets of 1 image": which calibration population a result used. */
export function poolingLabel(pooling: string, bagSize: number): string {
  if (pooling === 'single') return 'single image';
  return `${pooling === 'deepsets' ? 'DeepSets' : 'mean'} of ${bagSize} ${bagSize === 1 ? 'image' : 'images'}`;
}
