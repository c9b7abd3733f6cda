// Fingerprints in a case database: one row per (item, model sha256), the image embedding as a
// float32 little-endian BLOB (the L2-normalised mean of the crop embeddings).
import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database.ts';

export interface StoredFingerprint {
  itemId: number;
  modelSha256: string;
  modelName: string;
  embedding: Float32Array;
  crops: number;
  provider: string;
  computedUtc: string;
}

/** Explicitly little-endian, so a case folder moved to another machine reads the same numbers. */
export function embeddingToBlob(embedding: Float32Array): Buffer {
  const blob = Buffer.alloc(embedding.length * 4);
  embedding.forEach((value, i) => blob.writeFloatLE(value, i * 4));
  return blob;
}

export function blobToEmbedding(blob: Uint8Array): Float32Array {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return Float32Array.from({ length: blob.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** sha256 of the stored BLOB, recorded in custody so a changed fingerprint row shows. */
export function embeddingSha256(embedding: Float32Array): string {
  return createHash('sha256').update(embeddingToBlob(embedding)).digest('hex');
}

/** Ids of the given items that already have a fingerprint from this model. */
export function fingerprintedItemIds(db: Db, modelSha256: string): Set<number> {
  const rows = db.prepare('SELECT item_id FROM fingerprints WHERE model_sha256 = ?').all(modelSha256) as Array<{ item_id: number }>;
  return new Set(rows.map((r) => r.item_id));
}

export function saveFingerprint(db: Db, fingerprint: StoredFingerprint): void {
  db.prepare(
    `INSERT INTO fingerprints (item_id, model_sha256, model_name, embedding, crops, provider, computed_utc)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    fingerprint.itemId,
    fingerprint.modelSha256,
    fingerprint.modelName,
    embeddingToBlob(fingerprint.embedding),
    fingerprint.crops,
    fingerprint.provider,
    fingerprint.computedUtc,
  );
}

export function loadFingerprint(db: Db, itemId: number, modelSha256: string): StoredFingerprint | undefined {
  const row = db.prepare('SELECT * FROM fingerprints WHERE item_id = ? AND model_sha256 = ?').get(itemId, modelSha256) as
    | { item_id: number; model_sha256: string; model_name: string; embedding: Buffer; crops: number; provider: string; computed_utc: string }
    | undefined;
  if (!row) return undefined;
  return {
    itemId: row.item_id,
    modelSha256: row.model_sha256,
    modelName: row.model_name,
    embedding: blobToEmbedding(row.embedding),
    crops: row.crops,
    provider: row.provider,
    computedUtc: row.computed_utc,
  };
}
