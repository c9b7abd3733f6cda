// Ranks every gallery model for one query (an image's fingerprint or a pooled set) by cosine, turns
// each cohort-normalised score (cohort-score.ts) into a calibrated log10 LR, and applies the decision rule; the candidates shown
// are the best `top`, but the decision sees them all (every supported model is named).
import type { AttributedCandidate, Decision } from '../api/contract.ts';
import type { CalibrationSet, EvidenceFacts } from '../calibration/calibration-set.ts';
import { verbalEquivalent } from '../calibration/verbal-scale.ts';
import { cosineScores, type GalleryMatrix } from '../gallery/identify.ts';
import type { GalleryModelFacts } from '../gallery/attribution-gallery.ts';
import { cohortScores } from '../calibration/cohort-score.ts';
import { calibrateAndDecide } from './calibrated-decision.ts';

export interface RankedQuery {
  /** The entry of the top candidate (each candidate names its own). */
  calibrationId: string;
  evidenceCondition: string;
  candidates: AttributedCandidate[];
  decision: Decision;
  /** The best-ranked model whose reference images include one of the query's images, if any. */
  referenceOverlap: string | null;
}

export interface RankOptions {
  top: number;
  /** How the decision wording names the evidence ("the image", "the set of 12 images"). */
  subject: string;
  /** sha256s of the query's images, to flag models that hold them as references. */
  querySha256s: readonly string[];
  /** How the evidence is scored and what it shows (the entry per candidate adds its reference count). */
  evidence: Omit<EvidenceFacts, 'references'>;
  /** The evidence's condition in words, for the result. */
  evidenceCondition: string;
}

/**
 * Ranks the gallery by score, calibrates each candidate with the entry for its own reference count
 * (an entry of 3 images never gets the LR of one of 10), assesses the open set from the best score,
 * and decides.
 */
export function rankCandidates(query: Float32Array, gallery: GalleryMatrix, models: readonly GalleryModelFacts[], calibration: CalibrationSet, options: RankOptions): RankedQuery {
  const scores = cosineScores(query, gallery);
  // Best first; ties keep gallery (name) order so results are reproducible.
  const order = Array.from(scores.keys()).sort((x, y) => scores[y]! - scores[x]! || x - y);
  const overlaps = (r: number) => options.querySha256s.some((sha) => models[r]!.referenceSha256s.has(sha));
  const normalised = cohortScores(scores);
  const { calibrated, decision } = calibrateAndDecide(
    calibration,
    options.evidence,
    order.map((r) => ({ name: models[r]!.name, score: normalised[r]!, references: models[r]!.imageCount })),
    options.subject,
  );
  const propositions = { 'same-model': `${options.subject} was made by the candidate model`, 'other-model': `${options.subject} was made by another model of the relevant population` };
  const candidates = order.slice(0, options.top).map((r, i): AttributedCandidate => {
    const model = models[r]!;
    const { log10Lr, entry } = calibrated[i]!;
    return {
      rank: i + 1,
      name: model.name,
      family: model.family,
      score: scores[r]!,
      log10Lr,
      verbal: verbalEquivalent(log10Lr, propositions),
      weakReference: model.weakReference,
      referenceImages: model.imageCount,
      referenceOverlap: overlaps(r),
      calibrationId: entry.calibration.id,
    };
  });
  const overlapping = order.find(overlaps);
  const cautions = decisionCautions(decision, models[order[0]!]!, overlapping === undefined ? null : models[overlapping]!, options.querySha256s.length > 1);
  return {
    calibrationId: calibrated[0]!.entry.calibration.id,
    evidenceCondition: options.evidenceCondition,
    candidates,
    decision: cautions.length > 0 ? { ...decision, wording: `${decision.wording} ${cautions.join(' ')}` } : decision,
    referenceOverlap: overlapping === undefined ? null : models[overlapping]!.name,
  };
}

/** What the wording must add: a weak top reference, and a model built from the evidence itself. */
function decisionCautions(decision: Decision, top: GalleryModelFacts, overlapping: GalleryModelFacts | null, isSet: boolean): string[] {
  const cautions: string[] = [];
  if (decision.kind !== 'no-known-model' && top.weakReference) {
    cautions.push(`${top.name}'s gallery entry rests on ${top.imageCount} reference image${top.imageCount === 1 ? '' : 's'} only (weak reference; its LR comes from the calibration for entries of that many images).`);
  }
  if (overlapping) {
    cautions.push(`${overlapping.name}'s reference images include ${isSet ? 'images of this set' : 'this very image'}: its match is not independent evidence.`);
  }
  return cautions;
}
