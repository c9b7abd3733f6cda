// Rows of the gallery database: known models, their reference images and per-image embeddings,
// and the fingerprint (mean embedding) each model has for each extractor.
import path from 'node:path';
import { ApiError } from '../api/errors.ts';
import { captureRecordWrites } from '../db/record-digests.ts';
import { GALLERY_RECORDS } from './gallery-records.ts';
import { openDatabase, type Db } from '../db/open-database.ts';
import { meanEmbedding } from '../fingerprint/extractor.ts';
import { blobToEmbedding, embeddingToBlob } from '../fingerprint/fingerprint-store.ts';
import { utcNow } from '../base/time.ts';
import { galleryMigrations } from './gallery-migrations.ts';
import type { ModelDescription, ModelMetadata } from '../api/gallery.ts';

export const GALLERY_DB = 'gallery.sqlite';

export type { ModelDescription, ModelMetadata } from '../api/gallery.ts';

export const METADATA_FIELDS = ['family', 'version', 'source', 'notes'] as const;

export interface GalleryModel extends ModelDescription {
  id: number;
  createdUtc: string;
  imageCount: number;
}

/** The description of a model, in the order its fields are listed (and written into packs). */
export function describeModel(m: ModelDescription): ModelDescription {
  return { name: m.name, family: m.family, version: m.version, source: m.source, notes: m.notes, parent: m.parent };
}

/**
 * A model's fingerprint state for the installed extractor: 'current' takes part in matching,
 * 'stale' (made by another extractor only) must be re-enrolled, 'none' has no embedding at all.
 */
export type FingerprintState = 'current' | 'stale' | 'none';

export interface ReferenceImage {
  sha256: string;
  originalName: string;
  enrolledUtc: string;
}

/** The library's gallery brought up to date, with this connection's writes captured for its history. */
export function openGalleryDatabase(home: string): Db {
  const db = openDatabase(path.join(home, GALLERY_DB), galleryMigrations);
  captureRecordWrites(db, GALLERY_RECORDS);
  return db;
}

interface ModelRow extends ModelDescription {
  id: number;
  created_utc: string;
  image_count: number;
}

const MODEL_SELECT = `
  SELECT m.id, m.name, m.family, m.version, m.source, m.notes, p.name AS parent, m.created_utc,
         (SELECT count(*) FROM reference_images r WHERE r.model_id = m.id) AS image_count
  FROM models m LEFT JOIN models p ON p.id = m.parent_id`;

function toModel(row: ModelRow): GalleryModel {
  return { id: row.id, ...describeModel(row), createdUtc: row.created_utc, imageCount: row.image_count };
}

export function listModels(db: Db): GalleryModel[] {
  return (db.prepare(`${MODEL_SELECT} ORDER BY m.name`).all() as ModelRow[]).map(toModel);
}

export function findModel(db: Db, name: string): GalleryModel | undefined {
  const row = db.prepare(`${MODEL_SELECT} WHERE m.name = ?`).get(name) as ModelRow | undefined;
  return row && toModel(row);
}

export function requireModel(db: Db, name: string): GalleryModel {
  const model = findModel(db, name);
  if (!model) throw new ApiError('not_found', `no model named "${name}" in the gallery`);
  return model;
}

function parentId(db: Db, parent: string | null): number | null {
  return parent === null ? null : requireModel(db, parent).id;
}

/** Adds a model; metadata fields not given are left empty. */
export function insertModel(db: Db, name: string, metadata: Partial<ModelMetadata>, parent: string | null): number {
  const result = db
    .prepare('INSERT INTO models (name, family, version, source, notes, parent_id, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(name, metadata.family ?? '', metadata.version ?? '', metadata.source ?? '', metadata.notes ?? '', parentId(db, parent), utcNow());
  return Number(result.lastInsertRowid);
}

/** Changes the given metadata fields (and the parent when given); a model cannot descend from itself. */
export function updateModel(db: Db, id: number, metadata: Partial<ModelMetadata>, parent?: string | null): void {
  for (const field of METADATA_FIELDS) {
    const value = metadata[field];
    if (value !== undefined) db.prepare(`UPDATE models SET ${field} = ? WHERE id = ?`).run(value, id);
  }
  if (parent === undefined) return;
  const newParent = parentId(db, parent);
  for (let ancestor = newParent; ancestor !== null; ) {
    if (ancestor === id) throw new ApiError('invalid_input', 'a model cannot be its own ancestor');
    ancestor = (db.prepare('SELECT parent_id FROM models WHERE id = ?').get(ancestor) as { parent_id: number | null }).parent_id;
  }
  db.prepare('UPDATE models SET parent_id = ? WHERE id = ?').run(newParent, id);
}

export function deleteModel(db: Db, model: GalleryModel): void {
  const children = db.prepare('SELECT name FROM models WHERE parent_id = ? ORDER BY name').all(model.id) as Array<{ name: string }>;
  if (children.length > 0) {
    throw new ApiError('conflict', `"${model.name}" is the parent of ${children.map((c) => c.name).join(', ')}: remove those first`);
  }
  db.prepare('DELETE FROM models WHERE id = ?').run(model.id);
}

export function referenceImages(db: Db, modelId: number): ReferenceImage[] {
  return (db.prepare('SELECT sha256, original_name, enrolled_utc FROM reference_images WHERE model_id = ? ORDER BY id').all(modelId) as Array<{ sha256: string; original_name: string; enrolled_utc: string }>).map(
    (r) => ({ sha256: r.sha256, originalName: r.original_name, enrolledUtc: r.enrolled_utc }),
  );
}

/** Records a reference image (once per model and file hash); returns its row id. */
export function addReferenceImage(db: Db, modelId: number, sha256: string, originalName: string): number {
  db.prepare('INSERT OR IGNORE INTO reference_images (model_id, sha256, original_name, enrolled_utc) VALUES (?, ?, ?, ?)').run(modelId, sha256, originalName, utcNow());
  return (db.prepare('SELECT id FROM reference_images WHERE model_id = ? AND sha256 = ?').get(modelId, sha256) as { id: number }).id;
}

/** Stores an image's embedding for an extractor; false when one was already there (kept as is). */
export function addReferenceEmbedding(db: Db, imageId: number, extractorSha256: string, embedding: Float32Array): boolean {
  const result = db
    .prepare('INSERT OR IGNORE INTO reference_embeddings (image_id, extractor_sha256, embedding, computed_utc) VALUES (?, ?, ?, ?)')
    .run(imageId, extractorSha256, embeddingToBlob(embedding), utcNow());
  return result.changes > 0;
}

/** The model's image embeddings for an extractor, keyed by image sha256, in enrolment order. */
export function referenceEmbeddings(db: Db, modelId: number, extractorSha256: string): Map<string, Float32Array> {
  const rows = db
    .prepare(
      `SELECT r.sha256, e.embedding FROM reference_images r JOIN reference_embeddings e ON e.image_id = r.id
       WHERE r.model_id = ? AND e.extractor_sha256 = ? ORDER BY r.id`,
    )
    .all(modelId, extractorSha256) as Array<{ sha256: string; embedding: Buffer }>;
  return new Map(rows.map((r) => [r.sha256, blobToEmbedding(r.embedding)]));
}

/** Recomputes the model's fingerprint for an extractor from its image embeddings (removed when none). */
export function refreshFingerprint(db: Db, modelId: number, extractorSha256: string): void {
  const embeddings = [...referenceEmbeddings(db, modelId, extractorSha256).values()];
  db.prepare('DELETE FROM fingerprints WHERE model_id = ? AND extractor_sha256 = ?').run(modelId, extractorSha256);
  const first = embeddings[0];
  if (!first) return;
  const stacked = new Float32Array(embeddings.length * first.length);
  embeddings.forEach((e, i) => stacked.set(e, i * first.length));
  db.prepare('INSERT INTO fingerprints (model_id, extractor_sha256, embedding, image_count, computed_utc) VALUES (?, ?, ?, ?, ?)').run(
    modelId,
    extractorSha256,
    embeddingToBlob(meanEmbedding(stacked, 0, embeddings.length, first.length)),
    embeddings.length,
    utcNow(),
  );
}

export function fingerprintState(db: Db, modelId: number, extractorSha256: string | null): FingerprintState {
  const shas = (db.prepare('SELECT extractor_sha256 FROM fingerprints WHERE model_id = ?').all(modelId) as Array<{ extractor_sha256: string }>).map((r) => r.extractor_sha256);
  if (extractorSha256 !== null && shas.includes(extractorSha256)) return 'current';
  return shas.length > 0 ? 'stale' : 'none';
}

export interface CurrentFingerprint {
  modelId: number;
  name: string;
  family: string;
  embedding: Float32Array;
}

/** Every fingerprint made by this extractor, in model-name order; stale ones take no part. */
export function currentFingerprints(db: Db, extractorSha256: string): CurrentFingerprint[] {
  const rows = db
    .prepare('SELECT m.id, m.name, m.family, f.embedding FROM fingerprints f JOIN models m ON m.id = f.model_id WHERE f.extractor_sha256 = ? ORDER BY m.name')
    .all(extractorSha256) as Array<{ id: number; name: string; family: string; embedding: Buffer }>;
  return rows.map((r) => ({ modelId: r.id, name: r.name, family: r.family, embedding: blobToEmbedding(r.embedding) }));
}
