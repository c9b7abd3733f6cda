// The open-set decision rule, the one place that turns calibrated candidates into a conclusion
// (used by the CLI, the UI and the report alike): the top candidate's log10 LR >= 1 attributes
// the evidence to it (others at or above 1 are listed as also supported), <= -1 says no known
// model made it, anything between is inconclusive. Wording follows the ENFSI verbal scale.
import type { Decision } from '../api/contract.ts';
import { verbalEquivalent } from '../calibration/verbal-scale.ts';

/** |log10 LR| at which the rule decides either way: an LR of 10, or 1/10. */
export const DECISION_LOG10_LR = 1;

export interface RankedLr {
  name: string;
  log10Lr: number;
}

/** "340", "1/45", "10^7.2": the LR as wording states it. */
export function lrText(log10Lr: number): string {
  const magnitude = Math.abs(log10Lr);
  const value = magnitude < 4 ? Number((10 ** magnitude).toPrecision(2)).toLocaleString('en-US') : `10^${magnitude.toFixed(1)}`;
  return log10Lr < 0 ? `1/${value}` : value;
}

/**
 * Decides on candidates ranked best first (by score; with one monotone calibration per query,
 * that is also by LR). `subject` names the evidence: "the image", "the set of 12 images".
 */
export function decide(ranked: readonly RankedLr[], subject: string): Decision {
  const top = ranked[0];
  if (!top) throw new Error('a decision needs at least one candidate');
  const { log10Lr, name } = top;
  const verbal = verbalEquivalent(log10Lr);
  const lr = `LR ${lrText(log10Lr)}`;
  if (log10Lr >= DECISION_LOG10_LR) {
    const alsoSupported = ranked.slice(1).filter((c) => c.log10Lr >= DECISION_LOG10_LR).map((c) => c.name);
    const also = alsoSupported.length > 0 ? ` ${alsoSupported.join(', ')} ${alsoSupported.length === 1 ? 'is' : 'are'} also supported at LR 10 or more: the gallery cannot tell these apart for this evidence.` : '';
    return {
      kind: 'attributed',
      model: name,
      candidate: name,
      log10Lr,
      alsoSupported,
      wording: `Attributed to ${name} (${lr}): the findings provide ${verbal.strength} support for the proposition that ${subject} was made by ${name}, rather than by another model of the relevant population.${also}`,
    };
  }
  if (log10Lr <= -DECISION_LOG10_LR) {
    return {
      kind: 'no-known-model',
      model: null,
      candidate: name,
      log10Lr,
      alsoSupported: [],
      wording:
        `No known model: even the most similar gallery model, ${name}, has ${lr}. The findings provide ${verbal.strength} support for the proposition that ` +
        `${subject} was made by another model of the relevant population rather than by ${name}; every other gallery model is less similar still.`,
    };
  }
  return {
    kind: 'inconclusive',
    model: null,
    candidate: name,
    log10Lr,
    alsoSupported: [],
    wording: `Inconclusive: the most similar gallery model, ${name}, has ${lr}, between 1/10 and 10. The findings neither support attributing ${subject} to it nor exclude it.`,
  };
}
