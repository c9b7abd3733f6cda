// 1:1 verification of two sets of a case's images: were they made by the same model? Each set is
// pooled (mean, and DeepSets when usable) and the two compared by cosine; the LR comes from the
// calibration of bags against a pooled entry, the smaller set playing the bag and its size
// picking the calibration. The run is one audit entry of the case.
import type { SetVerification, SetVerificationMethod } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { meanPool } from '../calibration/bag-comparisons.ts';
import type { BagEncoder } from '../calibration/calibrate-folder.ts';
import { calibrationLog10Lr } from '../calibration/calibration.ts';
import { selectEntry, type CalibrationEntry, type UsableCalibration } from '../calibration/calibration-set.ts';
import { worstCompression } from '../calibration/leave-bag-out.ts';
import { observeCondition } from '../conditions/observed.ts';
import { evidenceCondition, type EvidenceCondition } from './attribute-evidence.ts';
import fs from 'node:fs';
import { verbalEquivalent, type PropositionTexts } from '../calibration/verbal-scale.ts';
import type { CaseHandle } from '../cases/library.ts';
import { cosine } from '../metrics/protocols.ts';
import { MIN_COHORT } from '../calibration/cohort-score.ts';
import { cosineScores, type GalleryMatrix } from '../gallery/identify.ts';
import { selectItems } from '../fingerprint/fingerprint-job.ts';
import { fingerprintChecker } from '../fingerprint/fingerprint-check.ts';
import { refuseTampered } from './tamper-refusal.ts';
import { loadFingerprint } from '../fingerprint/fingerprint-store.ts';
import { lrText } from '../api/likelihood-ratio.ts';

export interface VerifyRequest {
  a: readonly number[];
  b: readonly number[];
  actor: string;
  extractorSha256: string;
  calibration: UsableCalibration;
  setEncoder: BagEncoder | null;
  /** Gallery entries to normalise the score against (cohort-score.ts). */
  cohort: GalleryMatrix;
}

/** cos(A, B) minus the mean cosine of the evidence set (the smaller) with the cohort's entries. */
function cohortScore(evidence: Float32Array, other: Float32Array, cohort: GalleryMatrix): number {
  const own = cosine(evidence, other);
  const against = cosineScores(evidence, cohort);
  if (against.length < MIN_COHORT) return Number.NaN;
  return own - against.reduce((sum, s) => sum + s, 0) / against.length;
}

/** The stored fingerprints of a set's items and what their files show of their condition; refused when an item has none. */
async function setEmbeddings(handle: CaseHandle, itemIds: readonly number[], extractorSha256: string, label: string, actor: string): Promise<{ embeddings: Float32Array[]; conditions: EvidenceCondition[] }> {
  const embeddings: Float32Array[] = [];
  const conditions: EvidenceCondition[] = [];
  const check = fingerprintChecker(handle.db);
  for (const item of selectItems(handle, itemIds)) {
    const stored = item.status === 'analysable' ? loadFingerprint(handle.db, item.id, extractorSha256) : undefined;
    const problem = stored && check(stored);
    if (problem) refuseTampered(handle, actor, [problem], 'set comparison');
    if (!stored) throw new ApiError('invalid_input', `item ${item.id} (${item.original_name}) of set ${label} has no fingerprint from the installed extractor: fingerprint the case first`);
    embeddings.push(stored.embedding);
    conditions.push(evidenceCondition(await observeCondition(await fs.promises.readFile(handle.store.evidencePath(item.sha256)))));
  }
  return { embeddings, conditions };
}

const SET_PROPOSITIONS: PropositionTexts = {
  'same-model': 'both sets were made by the same model',
  'other-model': 'the two sets were made by two different models of the relevant population',
};

function method(score: number, entry: CalibrationEntry): SetVerificationMethod {
  const log10Lr = Number.isNaN(score) ? 0 : calibrationLog10Lr(entry.calibration, score);
  return { score, log10Lr, verbal: verbalEquivalent(log10Lr, SET_PROPOSITIONS), calibrationId: entry.calibration.id, bagSize: entry.bagSize };
}

export async function verifySets(handle: CaseHandle, request: VerifyRequest): Promise<SetVerification> {
  const shared = request.a.filter((id) => request.b.includes(id));
  if (shared.length > 0) throw new ApiError('invalid_input', `items ${shared.join(', ')} are in both sets: the sets must be disjoint`);
  const setA = await setEmbeddings(handle, request.a, request.extractorSha256, 'A', request.actor);
  const setB = await setEmbeddings(handle, request.b, request.extractorSha256, 'B', request.actor);
  const [a, b] = [setA.embeddings, setB.embeddings];
  const smaller = Math.min(a.length, b.length);
  const larger = Math.max(a.length, b.length);
  const { calibration } = request;
  // The smaller set plays the evidence, the larger the gallery entry (its size the reference count).
  const conditions = [...setA.conditions, ...setB.conditions];
  const selected = selectEntry(calibration.set, {
    pooling: 'mean',
    size: smaller,
    references: larger,
    compression: worstCompression(conditions.map((c) => c.compression)),
    minSide: Math.min(...conditions.map((c) => c.minSide)),
  });
  if (!selected) throw new ApiError('conflict', 'the calibration has no entry for comparing sets');
  const meanEntry = selected.entry;
  const [evidence, other] = a.length <= b.length ? [meanPool(a), meanPool(b)] : [meanPool(b), meanPool(a)];
  const meanScore = cohortScore(evidence, other, request.cohort);
  const mean = method(meanScore, meanEntry);
  if (Number.isNaN(meanScore)) selected.outOfValidity.push(`the gallery holds ${request.cohort.modelIds.length} models: the score is weighed against them, and at least ${MIN_COHORT} are needed`);

  let deepsets: SetVerificationMethod | null = null;
  let deepsetsNote: string | null = null;
  const deepsetsEntry = selectEntry(calibration.set, { pooling: 'deepsets', size: smaller, references: larger, compression: meanEntry.compression, minSide: 0 })?.entry;
  if (!calibration.deepsets.usable) deepsetsNote = `DeepSets not used: ${calibration.deepsets.reason}.`;
  else if (!request.setEncoder) deepsetsNote = 'DeepSets not used: no set encoder is installed.';
  else if (!deepsetsEntry) deepsetsNote = `DeepSets not used: the calibration has no DeepSets entry for ${smaller} images.`;
  else deepsets = method(cosine(await request.setEncoder.encode(a), await request.setEncoder.encode(b)), deepsetsEntry);

  const notes = [
    `The calibration compares a bag of ${meanEntry.bagSize} image${meanEntry.bagSize === 1 ? '' : 's'} with a gallery entry pooled from ${meanEntry.references}; here the smaller set (${smaller}) plays the bag and the larger (${larger}) the entry.`,
    ...selected.outOfValidity.map((reason) => `Outside what the calibration was validated for: ${reason}. The LR is not evidence.`),
  ];
  const result: SetVerification = {
    sizeA: a.length,
    sizeB: b.length,
    pooling: 'mean',
    ...mean,
    wording:
      selected.outOfValidity.length > 0
        ? `Inconclusive: the sets lie outside what the calibration was validated for (${selected.outOfValidity.join('; ')}); the computed LR ${lrText(mean.log10Lr)} is not evidence.`
        : `${verbalEquivalent(mean.log10Lr, SET_PROPOSITIONS).wording} (LR ${lrText(mean.log10Lr)}, mean pooling)`,
    deepsets,
    deepsetsNote,
    notes,
    calibrationSetId: calibration.set.id,
  };
  handle.db.transaction(() => appendAudit(handle.db, request.actor, 'sets.verified', { a: [...request.a], b: [...request.b], ...result, verbal: result.verbal.strength }))();
  return result;
}
