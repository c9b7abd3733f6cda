// The open-set decision rule, the one place that turns calibrated candidates into a conclusion
// (used by the CLI, the UI, the report and `evaluate` alike). In order:
// 1. evidence outside what the calibration was validated for is inconclusive, saying why;
// 2. "no known model" when the best gallery match is typical of sources outside the gallery (the
//    open-set LR, fitted on the best score with the source in the gallery vs not, is 1/10 or
//    less), or when every candidate's own LR is 1/10 or less;
// 3. attributed to the top candidate when its LR is 10 or more, the runner-up's is at least 10
//    times smaller, and the open set does not favour a source outside the gallery (a strong LR for
//    the best of many candidates is what an unknown source often produces: the open-set LR must be
//    above 1 too, when assessed); a near-tie (the top two within a factor of 10) names both and
//    says the gallery does not tell them apart;
// 4. otherwise inconclusive. Wording follows the ENFSI verbal scale.
import type { Decision } from '../api/contract.ts';
import { lrText } from '../api/likelihood-ratio.ts';
import { verbalEquivalent } from './verbal-scale.ts';

/** |log10 LR| at which the rule decides either way: an LR of 10, or 1/10. */
export const DECISION_LOG10_LR = 1;

export interface RankedLr {
  name: string;
  log10Lr: number;
}

export interface DecisionInput {
  /** Every candidate, in any order (the rule ranks them by LR). */
  candidates: readonly RankedLr[];
  /** log10 of P(best score | source in the gallery) / P(best score | source not in it); null when not assessed. */
  openSetLog10Lr: number | null;
  /** Why the open set was not assessed, when it was not. */
  openSetNote?: string | null;
  /** Reasons the evidence lies outside what the calibration was validated for (inconclusive when any). */
  outOfValidity?: readonly string[];
  /** Why the top candidate's calibration cannot carry an attribution on its own (e.g. it rests on too few generators); it is then inconclusive. */
  attributionLimit?: string | null;
  /** How the wording names the evidence: "the image", "the set of 12 images". */
  subject: string;
}

export { lrText };

function listing(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function decide(input: DecisionInput): Decision {
  const ranked = [...input.candidates].sort((x, y) => y.log10Lr - x.log10Lr);
  const top = ranked[0];
  if (!top) throw new Error('a decision needs at least one candidate');
  const { subject } = input;
  const outOfValidity = [...(input.outOfValidity ?? [])];
  const openSetLog10Lr = input.openSetLog10Lr;
  const base = { candidate: top.name, log10Lr: top.log10Lr, outOfValidity, openSetLog10Lr };
  const lr = (x: number) => `LR ${lrText(x)}`;
  /** A decision that names no model. */
  const unattributed = (kind: 'inconclusive' | 'no-known-model', wording: string): Decision => ({ ...base, kind, model: null, alsoSupported: [], wording });

  if (outOfValidity.length > 0) {
    return unattributed('inconclusive', `Inconclusive: ${subject} lies outside what the calibration was validated for (${outOfValidity.join('; ')}), so no likelihood ratio is reported as evidence. ` +
        `The most similar gallery model is ${top.name} (uncalibrated for this evidence: ${lr(top.log10Lr)}).`);
  }
  const verbal = verbalEquivalent(top.log10Lr);
  if (openSetLog10Lr !== null && openSetLog10Lr <= -DECISION_LOG10_LR) {
    return unattributed('no-known-model', `No known model: the best match in the gallery (${top.name}) is as weak as matches of images from generators outside the gallery usually are ` +
        `(open-set ${lr(openSetLog10Lr)} for "made by one of the gallery's models" against "made by another model"). ${subject[0]!.toUpperCase()}${subject.slice(1)} was most probably made by a model the gallery does not hold.`);
  }
  if (top.log10Lr <= -DECISION_LOG10_LR) {
    return unattributed('no-known-model', `No known model: even the most similar gallery model, ${top.name}, has ${lr(top.log10Lr)}. The findings provide ${verbal.strength} support for the proposition that ` +
        `${subject} was made by another model of the relevant population rather than by ${top.name}; every other gallery model has a lower LR still.`);
  }
  if (top.log10Lr >= DECISION_LOG10_LR) {
    const close = ranked.slice(1).filter((c) => top.log10Lr - c.log10Lr < DECISION_LOG10_LR);
    if (close.length > 0) {
      const shown = close.slice(0, 4).map((c) => `${c.name} (${lr(c.log10Lr)})`);
      const more = close.length > 4 ? ` and ${close.length - 4} more` : '';
      return {
        ...base,
        kind: 'tied',
        model: null,
        alsoSupported: close.map((c) => c.name),
        wording:
          `Not told apart: ${top.name} (${lr(top.log10Lr)}) is within a factor of 10 of ${listing(shown)}${more}. ` +
          `The gallery does not tell these models apart for this evidence, so ${subject} is attributed to none of them.`,
      };
    }
    if (input.attributionLimit) {
      return unattributed('inconclusive', `Inconclusive: the findings support ${top.name} (${lr(top.log10Lr)}) over the other gallery models, but ${input.attributionLimit}, too few to attribute ${subject} on.`);
    }
    if (openSetLog10Lr !== null && openSetLog10Lr <= 0) {
      return unattributed('inconclusive', `Inconclusive: ${top.name} has ${lr(top.log10Lr)}, but the best match in the gallery is no more typical of its own models than of generators outside it ` +
          `(open-set ${lr(openSetLog10Lr)}), so a model the gallery does not hold may have made ${subject}.`);
    }
    const alsoSupported = ranked.slice(1).filter((c) => c.log10Lr >= DECISION_LOG10_LR).map((c) => c.name);
    const also = alsoSupported.length > 0 ? ` ${listing(alsoSupported)} ${alsoSupported.length === 1 ? 'is' : 'are'} also supported at LR 10 or more, at least 10 times less.` : '';
    return {
      ...base,
      kind: 'attributed',
      model: top.name,
      alsoSupported,
      wording: `Attributed to ${top.name} (${lr(top.log10Lr)}): the findings provide ${verbal.strength} support for the proposition that ${subject} was made by ${top.name}, rather than by another model of the relevant population.${also}`,
    };
  }
  const openSet = openSetLog10Lr === null ? (input.openSetNote ? ` Whether the source is in the gallery at all was not assessed: ${input.openSetNote}.` : '') : '';
  return unattributed('inconclusive', `Inconclusive: the most similar gallery model, ${top.name}, has ${lr(top.log10Lr)}, between 1/10 and 10. The findings neither support attributing ${subject} to it nor exclude it.${openSet}`);
}
