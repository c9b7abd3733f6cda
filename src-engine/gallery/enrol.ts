// Enrolment: fingerprints a model's reference images with the installed extractor and makes the
// model's gallery entry the mean of their embeddings. Enrolling an existing model again adds its
// new images, and re-embeds known ones the current extractor has not seen (re-enrolment after an
// extractor change). Nothing is written until every file is done, so a cancelled run leaves no trace.
// Given a curve hook, the model's C_T curve is computed from the same images and stored with it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { collectFiles } from '../base/walk.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { type ModelCurve, saveModelCurve } from './gallery-curves.ts';
import { appendHistory } from './gallery-history.ts';
import { reEnrolRestore } from './gallery-undo.ts';
import { addReferenceEmbedding, addReferenceImage, findModel, insertModel, referenceEmbeddings, refreshFingerprint, requireModel, updateModel, type ModelMetadata } from './gallery-store.ts';

export interface EnrolRequest {
  name: string;
  /** Fields given here are set (on a new model, absent ones are empty). */
  metadata: Partial<ModelMetadata>;
  parent?: string;
  /** Files and folders (walked recursively). */
  paths: readonly string[];
}

export interface EnrolOutcome {
  model: string;
  /** False when the model already existed, or when nothing could be enrolled into a new one. */
  created: boolean;
  extractorSha256: string;
  files: number;
  embedded: number;
  /** Images this model already has an embedding of from the current extractor. */
  alreadyEnrolled: number;
  failures: Array<{ path: string; message: string }>;
  imageCount: number;
  cancelled: boolean;
  /** The C_T curve from this enrolment's images: its image count, or why there is none (absent without a hook). */
  curve?: { imageCount: number | null; reason: string | null };
}

/** Computes a model's C_T curve from image files (ct-curve/model-curve.ts: enrolmentCurveHook). */
export type EnrolCurveHook = (files: readonly string[], signal?: AbortSignal) => Promise<{ curve: ModelCurve | null; reason: string | null }>;

export interface EnrolOptions {
  actor: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  curve?: EnrolCurveHook;
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export async function enrolModel(db: Db, service: FingerprintService, request: EnrolRequest, options: EnrolOptions): Promise<EnrolOutcome> {
  if (request.parent !== undefined) requireModel(db, request.parent);
  const { model: extractor, worker } = await service.ready();
  const existing = findModel(db, request.name);
  const known = existing ? referenceEmbeddings(db, existing.id, extractor.sha256) : new Map<string, Float32Array>();

  const nothing = { model: request.name, created: false, extractorSha256: extractor.sha256, embedded: 0, alreadyEnrolled: 0, imageCount: existing?.imageCount ?? 0 };
  // Cancelled while the folders are walked: the walk stops by throwing, the enrolment just ends.
  const walk = await collectFiles(request.paths, options.signal).catch((error: unknown) => {
    if (options.signal?.aborted) return null;
    throw error;
  });
  if (!walk) return { ...nothing, files: 0, failures: [], cancelled: true };
  const failures = [...walk.problems];
  const toEmbed: Array<{ path: string; sha256: string }> = [];
  /** One file per distinct image: the curve is computed from them all, enrolled before or not. */
  const distinct: string[] = [];
  let alreadyEnrolled = 0;
  const seen = new Set<string>();
  for (const file of walk.files) {
    let sha256: string;
    try {
      sha256 = sha256File(file);
    } catch (error) {
      failures.push({ path: file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (known.has(sha256)) alreadyEnrolled++;
    else if (!seen.has(sha256)) toEmbed.push({ path: file, sha256 });
    if (!seen.has(sha256)) distinct.push(file);
    seen.add(sha256);
  }

  const embedded: Array<{ path: string; sha256: string; embedding: Float32Array }> = [];
  let done = 0;
  const { cancelled } =
    toEmbed.length === 0
      ? { cancelled: false }
      : await worker.embed(toEmbed, {
          signal: options.signal,
          onResult: (result) => {
            const file = toEmbed[result.index]!;
            if (result.ok) embedded.push({ ...file, embedding: result.embedding });
            else failures.push({ path: file.path, message: result.message });
            options.onProgress?.(++done, toEmbed.length);
          },
        });

  const outcome: EnrolOutcome = { ...nothing, files: walk.files.length, alreadyEnrolled, failures, cancelled };
  if (cancelled || (!existing && embedded.length === 0)) return outcome;
  const curve = options.curve ? await options.curve(distinct, options.signal) : undefined;
  if (options.signal?.aborted) return { ...outcome, cancelled: true };

  db.transaction(() => {
    // Recorded before anything changes, so the history entry can be undone (gallery-undo.ts).
    const restore = existing && reEnrolRestore(db, existing, embedded.map((image) => image.sha256), curve?.curve);
    const modelId = existing?.id ?? insertModel(db, request.name, request.metadata, request.parent ?? null);
    if (existing) updateModel(db, existing.id, request.metadata, request.parent);
    for (const image of embedded) {
      const imageId = addReferenceImage(db, modelId, image.sha256, path.basename(image.path));
      addReferenceEmbedding(db, imageId, extractor.sha256, image.embedding);
    }
    refreshFingerprint(db, modelId, extractor.sha256);
    if (curve?.curve) saveModelCurve(db, modelId, curve.curve);
    appendHistory(db, options.actor, existing ? 'model.re-enrolled' : 'model.enrolled', {
      model: request.name,
      metadata: request.metadata,
      parent: request.parent ?? null,
      extractor: { name: extractor.name, sha256: extractor.sha256 },
      images: embedded.map((image) => ({ sha256: image.sha256, name: path.basename(image.path) })),
      failures: failures.length,
      ...(curve && { curve: curve.curve }),
      ...(restore && { restore }),
    });
  })();
  return {
    ...outcome,
    created: !existing,
    embedded: embedded.length,
    imageCount: requireModel(db, request.name).imageCount,
    ...(curve && { curve: { imageCount: curve.curve?.imageCount ?? null, reason: curve.reason } }),
  };
}
