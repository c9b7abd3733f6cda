// Ranks every gallery model for one query (an image's fingerprint or a pooled set), turns each
// cosine score into a calibrated log10 LR, and applies the decision rule; the candidates shown
// are the best `top`, but the decision sees them all (every supported model is named).
import type { AttributedCandidate, Decision } from '../api/contract.ts';
import { calibrationLog10Lr, type Calibration } from '../calibration/calibration.ts';
import { verbalEquivalent } from '../calibration/verbal-scale.ts';
import type { GalleryMatrix } from '../gallery/identify.ts';
import { STRONG_REFERENCE_IMAGES, type GalleryModelFacts } from './attribution-gallery.ts';
import { decide } from './decision.ts';

export interface RankedQuery {
  candidates: AttributedCandidate[];
  decision: Decision;
  /** The best-ranked model whose reference images include one of the query's images, if any. */
  referenceOverlap: string | null;
}

/** Cosine similarity of the query with every row (rows are L2-normalised). */
export function scoreAll(query: Float32Array, gallery: GalleryMatrix): Float64Array {
  const { dim, rows } = gallery;
  if (query.length !== dim) throw new Error(`the query has ${query.length} dimensions, the gallery ${dim}`);
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += query[d]! * query[d]!;
  norm = Math.sqrt(norm) || 1;
  const scores = new Float64Array(gallery.modelIds.length);
  for (let r = 0; r < scores.length; r++) {
    let dot = 0;
    for (let d = 0, base = r * dim; d < dim; d++) dot += rows[base + d]! * query[d]!;
    scores[r] = dot / norm;
  }
  return scores;
}

export interface RankOptions {
  top: number;
  /** How the decision wording names the evidence ("the image", "the set of 12 images"). */
  subject: string;
  /** sha256s of the query's images, to flag models that hold them as references. */
  querySha256s: readonly string[];
}

export function rankCandidates(query: Float32Array, gallery: GalleryMatrix, models: readonly GalleryModelFacts[], calibration: Calibration, options: RankOptions): RankedQuery {
  const scores = scoreAll(query, gallery);
  // Best first; ties keep gallery (name) order so results are reproducible.
  const order = Array.from(scores.keys()).sort((x, y) => scores[y]! - scores[x]! || x - y);
  const overlaps = (r: number) => options.querySha256s.some((sha) => models[r]!.referenceSha256s.has(sha));
  const log10Lrs = order.map((r) => calibrationLog10Lr(calibration, scores[r]!));
  const propositions = { 'same-model': `${options.subject} was made by the candidate model`, 'other-model': `${options.subject} was made by another model of the relevant population` };
  const candidates = order.slice(0, options.top).map((r, i): AttributedCandidate => {
    const model = models[r]!;
    const log10Lr = log10Lrs[i]!;
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
    };
  });
  const overlapping = order.find(overlaps);
  const decision = decide(order.map((r, i) => ({ name: models[r]!.name, log10Lr: log10Lrs[i]! })), options.subject);
  const cautions = decisionCautions(decision, models[order[0]!]!, overlapping === undefined ? null : models[overlapping]!, options.querySha256s.length > 1);
  return {
    candidates,
    decision: cautions.length > 0 ? { ...decision, wording: `${decision.wording} ${cautions.join(' ')}` } : decision,
    referenceOverlap: overlapping === undefined ? null : models[overlapping]!.name,
  };
}

/** What the wording must add: a weak top reference, and a model built from the evidence itself. */
function decisionCautions(decision: Decision, top: GalleryModelFacts, overlapping: GalleryModelFacts | null, isSet: boolean): string[] {
  const cautions: string[] = [];
  if (decision.kind !== 'no-known-model' && top.weakReference) {
    cautions.push(`${top.name}'s gallery entry rests on ${top.imageCount} reference image${top.imageCount === 1 ? '' : 's'} only (weak reference; the calibration's entries pool ${STRONG_REFERENCE_IMAGES}).`);
  }
  if (overlapping) {
    cautions.push(`${overlapping.name}'s reference images include ${isSet ? 'images of this set' : 'this very image'}: its match is not independent evidence.`);
  }
  return cautions;
}
