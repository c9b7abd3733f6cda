// Undoing the gallery's last change. The history is never rewritten: an undo is a new entry
// ('change.undone') that names the entry it reverses. Only the last change can be undone, and only
// one whose entry recorded what reversing it needs: an enrolment (the model goes), references added
// to a model (they go, its fields, parent and C_T curve come back as they were) and a removed
// reference (it comes back with its embeddings). A removed model, an imported pack or an undo are
// not reversed: the examiner enrols again.
import { ApiError } from '../api/errors.ts';
import type { ModelMetadata } from '../api/gallery.ts';
import type { Db } from '../db/open-database.ts';
import { modelCurveSchema, saveModelCurve, type ModelCurve } from './gallery-curves.ts';
import { appendHistory, historyHead, listHistory, verifyHistory, type HistoryEntry } from './gallery-history.ts';
import { deleteModel, refreshFingerprint, requireModel, updateModel, type GalleryModel } from './gallery-store.ts';

/** What reversing an enrolment into an existing model needs, recorded in its history entry. */
export interface ReEnrolRestore {
  /** Reference images the enrolment added (they are removed). */
  added: string[];
  /** Images the model had, embedded by this enrolment's extractor for the first time (those embeddings are removed). */
  reembedded: string[];
  /** The model's fields and parent before the enrolment changed them. */
  before: ModelMetadata & { parent: string | null };
  /** The curve the enrolment replaced for the same encoder and reference set (null: there was none). */
  replacedCurve: (ModelCurve & { computedUtc: string }) | null;
}

/** What reversing a reference's removal needs: when it was enrolled and its embeddings. */
export interface ReferenceRestore {
  enrolledUtc: string;
  embeddings: Array<{ extractorSha256: string; embedding: string; computedUtc: string }>;
}

/** Records the state an enrolment into `model` is about to change; call before changing it. */
export function reEnrolRestore(db: Db, model: GalleryModel, embeddedShas: readonly string[], curve: ModelCurve | null | undefined): ReEnrolRestore {
  const had = new Set((db.prepare('SELECT sha256 FROM reference_images WHERE model_id = ?').all(model.id) as Array<{ sha256: string }>).map((r) => r.sha256));
  const { family, version, source, notes, parent } = model;
  const replaced = curve
    ? (db.prepare('SELECT image_count, curve_values, computed_utc FROM curves WHERE model_id = ? AND encoder_sha256 = ? AND reference_sha256 = ?').get(model.id, curve.encoderSha256, curve.referenceSha256) as
        | { image_count: number; curve_values: string; computed_utc: string }
        | undefined)
    : undefined;
  return {
    added: embeddedShas.filter((sha) => !had.has(sha)),
    reembedded: embeddedShas.filter((sha) => had.has(sha)),
    before: { family, version, source, notes, parent },
    replacedCurve:
      curve && replaced
        ? { encoderSha256: curve.encoderSha256, referenceSha256: curve.referenceSha256, imageCount: replaced.image_count, values: JSON.parse(replaced.curve_values) as (number | null)[], computedUtc: replaced.computed_utc }
        : null,
  };
}

/** Records a reference image's embeddings before it is removed; call before removing it. */
export function referenceRestore(db: Db, modelId: number, sha256: string): ReferenceRestore {
  const image = db.prepare('SELECT id, enrolled_utc FROM reference_images WHERE model_id = ? AND sha256 = ?').get(modelId, sha256) as { id: number; enrolled_utc: string };
  const rows = db.prepare('SELECT extractor_sha256, embedding, computed_utc FROM reference_embeddings WHERE image_id = ? ORDER BY extractor_sha256').all(image.id) as Array<{
    extractor_sha256: string;
    embedding: Buffer;
    computed_utc: string;
  }>;
  return { enrolledUtc: image.enrolled_utc, embeddings: rows.map((r) => ({ extractorSha256: r.extractor_sha256, embedding: r.embedding.toString('base64'), computedUtc: r.computed_utc })) };
}

const REVERSIBLE = new Set(['model.enrolled', 'model.re-enrolled', 'reference.removed']);

/** Why `entry` (the last one) cannot be undone, or null when it can. */
export function undoRefusal(entry: HistoryEntry): string | null {
  if (entry.action === 'change.undone') return 'The last change is itself an undo; an undo is not undone (enrol the images again instead).';
  if (entry.action === 'model.removed') return 'The last change removed a model, which drops its embeddings; enrol the model again to bring it back.';
  if (!REVERSIBLE.has(entry.action)) return 'The last change is not one undo reverses (only an enrolment, added references and a removed reference are).';
  if (entry.action !== 'model.enrolled' && entry.details['restore'] === undefined) return 'The last change was recorded before the gallery kept what undoing it needs.';
  return null;
}

function modelOf(entry: HistoryEntry): string {
  return String(entry.details['model']);
}

/** Puts a removed reference image back with its embeddings and recomputes the model's fingerprints. */
function restoreReference(db: Db, entry: HistoryEntry): void {
  const model = requireModel(db, modelOf(entry));
  const restore = entry.details['restore'] as ReferenceRestore;
  const imageId = Number(
    db.prepare('INSERT INTO reference_images (model_id, sha256, original_name, enrolled_utc) VALUES (?, ?, ?, ?)').run(model.id, entry.details['sha256'], entry.details['originalName'], restore.enrolledUtc)
      .lastInsertRowid,
  );
  const insert = db.prepare('INSERT INTO reference_embeddings (image_id, extractor_sha256, embedding, computed_utc) VALUES (?, ?, ?, ?)');
  for (const e of restore.embeddings) insert.run(imageId, e.extractorSha256, Buffer.from(e.embedding, 'base64'), e.computedUtc);
  for (const e of restore.embeddings) refreshFingerprint(db, model.id, e.extractorSha256);
}

/** Takes an enrolment's references (and first embeddings) out again and puts the model's fields, parent and curve back. */
function reverseReEnrolment(db: Db, entry: HistoryEntry): void {
  const model = requireModel(db, modelOf(entry));
  const restore = entry.details['restore'] as ReEnrolRestore;
  const extractor = (entry.details['extractor'] as { sha256: string }).sha256;
  const removeImage = db.prepare('DELETE FROM reference_images WHERE model_id = ? AND sha256 = ?');
  for (const sha of restore.added) removeImage.run(model.id, sha);
  const removeEmbedding = db.prepare('DELETE FROM reference_embeddings WHERE extractor_sha256 = ? AND image_id = (SELECT id FROM reference_images WHERE model_id = ? AND sha256 = ?)');
  for (const sha of restore.reembedded) removeEmbedding.run(extractor, model.id, sha);
  refreshFingerprint(db, model.id, extractor);
  const { parent, ...metadata } = restore.before;
  updateModel(db, model.id, metadata, parent);
  const curve = modelCurveSchema.nullable().optional().parse(entry.details['curve']);
  if (curve) {
    db.prepare('DELETE FROM curves WHERE model_id = ? AND encoder_sha256 = ? AND reference_sha256 = ?').run(model.id, curve.encoderSha256, curve.referenceSha256);
    if (restore.replacedCurve) {
      const { computedUtc, ...replaced } = restore.replacedCurve;
      saveModelCurve(db, model.id, replaced, computedUtc);
    }
  }
}

/**
 * Reverses the last change, which must be entry `seq` (so a view of an older history cannot undo
 * something the examiner did not see), and records the undo as a new entry.
 */
export function undoLastChange(db: Db, seq: number, actor: string): HistoryEntry {
  return db.transaction(() => {
    if (!verifyHistory(db).ok) throw new ApiError('conflict', 'The gallery history chain is broken; nothing is undone until it is checked (modelprint gallery verify).');
    const head = historyHead(db);
    if (head.seq !== seq) throw new ApiError('conflict', `Entry ${seq} is no longer the gallery's last change (the last is entry ${head.seq}); reload the history and try again.`);
    const entry = listHistory(db).at(-1)!;
    const refusal = undoRefusal(entry);
    if (refusal) throw new ApiError('conflict', refusal);
    if (entry.action === 'model.enrolled') deleteModel(db, requireModel(db, modelOf(entry)));
    else if (entry.action === 'model.re-enrolled') reverseReEnrolment(db, entry);
    else restoreReference(db, entry);
    appendHistory(db, actor, 'change.undone', { undoes: entry.seq, action: entry.action, model: modelOf(entry), entryHash: entry.entryHash });
    return listHistory(db).at(-1)!;
  })();
}
