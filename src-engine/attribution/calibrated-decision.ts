// Scores against gallery entries turned into calibrated LRs and a decision, the same way wherever
// it happens (a case's attribution, `evaluate`): each entry's LR from the calibration entry for its
// own reference count and the evidence's pooling, size and compression; the open set assessed from
// the best score; evidence outside what was validated made inconclusive with the reasons.
import type { Decision } from '../api/contract.ts';
import { calibrationLog10Lr } from '../calibration/calibration.ts';
import { selectEntry, type CalibrationEntry, type CalibrationSet, type EvidenceFacts } from '../calibration/calibration-set.ts';
import { MIN_COHORT } from '../calibration/cohort-score.ts';
import { STRONG_REFERENCE_IMAGES } from '../gallery/attribution-gallery.ts';
import { decide } from '../calibration/decision.ts';

/**
 * An attribution names one model out of a population; a calibration fitted on fewer generators than
 * this cannot show that the others would not score as high (measured on the calibration data's own
 * folds and seen on validation: with 4, sets of unknown generators were attributed to a look-alike
 * at LR 20). Likewise a gallery entry of fewer than STRONG_REFERENCE_IMAGES (10) references is too
 * noisy to name the source (an unknown generator's sets matched a 1-image entry at LR 70): such a
 * candidate is reported with its LR, and the decision stays inconclusive.
 */
export const MIN_ATTRIBUTION_GENERATORS = 5;

export interface ScoredEntry {
  name: string;
  /** The calibrated score: cohort-normalised cosine (cohort-score.ts); NaN when there is no cohort. */
  score: number;
  /** Reference images behind the gallery entry. */
  references: number;
}

export interface CalibratedEntry {
  log10Lr: number;
  entry: CalibrationEntry;
  /** Why this gallery entry's LR is not valid evidence (e.g. too few references for a validated calibration); empty when it is. */
  outOfValidity: string[];
}

export interface CalibratedDecision {
  /** In the order of the input. */
  calibrated: CalibratedEntry[];
  decision: Decision;
}

/**
 * The open-set LR of the best score. The open-set model was fitted with galleries of a given size;
 * a smaller gallery makes the best score of an unknown source lower than modelled (and "no known
 * model" too easy), so it is then not assessed.
 */
function openSetAssessment(entry: CalibrationEntry, bestScore: number, gallerySize: number): { log10Lr: number | null; note: string | null } {
  if (!entry.openSet) return { log10Lr: null, note: 'the calibration has no open-set model for this evidence' };
  if (gallerySize < entry.openSet.gallerySize) {
    return { log10Lr: null, note: `the gallery holds ${gallerySize} models, fewer than the ${entry.openSet.gallerySize} its open-set model was fitted with` };
  }
  return { log10Lr: calibrationLog10Lr(entry.openSet.calibration, bestScore), note: null };
}

/**
 * Evidence outside what was validated (its compression, its size) leaves the decision inconclusive.
 * A gallery entry outside it (say, 2 references where only 5 or more were validated) gives no LR:
 * the others are decided on, unless that entry matches at least as well as the best of them, in
 * which case the rule cannot exclude it and stays inconclusive, naming it.
 */
export function calibrateAndDecide(set: CalibrationSet, evidence: Omit<EvidenceFacts, 'references'>, entries: readonly ScoredEntry[], subject: string): CalibratedDecision {
  if (entries.length === 0) throw new Error('a decision needs at least one gallery entry');
  const selected = entries.map((e) => {
    const chosen = selectEntry(set, { ...evidence, references: Math.max(1, e.references) });
    if (!chosen) throw new Error(`the calibration has no ${evidence.pooling} entry for ${evidence.size} images`);
    return chosen;
  });
  const calibrated = entries.map((e, i) => {
    const { entry, outOfValidity, evidenceReasons } = selected[i]!;
    return { log10Lr: Number.isNaN(e.score) ? 0 : calibrationLog10Lr(entry.calibration, e.score), entry, outOfValidity: outOfValidity.filter((r) => !evidenceReasons.includes(r)) };
  });
  const evidenceReasons = [...new Set(selected.flatMap((s) => s.evidenceReasons))];
  if (entries.length - 1 < MIN_COHORT) {
    evidenceReasons.push(`the gallery holds ${entries.length} model${entries.length === 1 ? '' : 's'}: scores are weighed against the other models, and at least ${MIN_COHORT + 1} are needed`);
  }
  const valid = entries.map((_, i) => i).filter((i) => calibrated[i]!.outOfValidity.length === 0);
  const bestOf = (indices: readonly number[]) => indices.reduce((best, i) => (best < 0 || entries[i]!.score > entries[best]!.score ? i : best), -1);
  const best = bestOf(entries.map((_, i) => i));
  const bestValid = bestOf(valid);
  const reasons = [...evidenceReasons];
  if (evidenceReasons.length === 0 && (bestValid < 0 || entries[best]!.score > entries[bestValid]!.score)) {
    reasons.push(`the best-matching gallery model, ${entries[best]!.name}, cannot be weighed: ${calibrated[best]!.outOfValidity.join('; ')}`);
  }
  const considered = reasons.length > 0 ? entries.map((_, i) => i) : valid;
  const open = reasons.length > 0 ? { log10Lr: null, note: null } : openSetAssessment(calibrated[bestValid]!.entry, entries[bestValid]!.score, entries.length);
  const top = considered.reduce((best, i) => (best < 0 || calibrated[i]!.log10Lr > calibrated[best]!.log10Lr ? i : best), -1);
  const generators = calibrated[top]!.entry.heldOut?.generators ?? 0;
  const references = entries[top]!.references;
  const limit =
    generators < MIN_ATTRIBUTION_GENERATORS
      ? `its calibration rests on ${generators} generator${generators === 1 ? '' : 's'} of the relevant population (at least ${MIN_ATTRIBUTION_GENERATORS} needed)`
      : references < STRONG_REFERENCE_IMAGES
        ? `its gallery entry rests on ${references} reference image${references === 1 ? '' : 's'} (at least ${STRONG_REFERENCE_IMAGES} needed)`
        : null;
  const decision = decide({
    candidates: considered.map((i) => ({ name: entries[i]!.name, log10Lr: calibrated[i]!.log10Lr })),
    openSetLog10Lr: open.log10Lr,
    openSetNote: open.note,
    outOfValidity: reasons,
    attributionLimit: limit,
    subject,
  });
  const skipped = reasons.length > 0 ? [] : entries.filter((_, i) => !valid.includes(i)).map((e) => e.name);
  const note = skipped.length > 0 ? ` Not weighed (their gallery entries lie outside what the calibration was validated for): ${skipped.join(', ')}.` : '';
  return { calibrated, decision: note ? { ...decision, wording: `${decision.wording}${note}` } : decision };
}
