// Known models' C_T curves in the gallery database (gallery migration 3): one per model, layered
// encoder and reference set, as computed at enrolment (ct-curve/model-curve.ts) or carried in a pack.
import { z } from 'zod';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';

/** A model's curve as stored and as packs carry it (gallery-pack.ts, version 2). */
export const modelCurveSchema = z.object({
  encoderSha256: z.string().regex(/^[0-9a-f]{64}$/),
  referenceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  imageCount: z.number().int().positive(),
  values: z.array(z.number().nullable()).min(1),
});

export type ModelCurve = z.infer<typeof modelCurveSchema>;

export interface GalleryCurve extends ModelCurve {
  modelId: number;
  model: string;
  family: string;
  computedUtc: string;
}

interface CurveRow {
  model_id: number;
  name: string;
  family: string;
  encoder_sha256: string;
  reference_sha256: string;
  image_count: number;
  curve_values: string;
  computed_utc: string;
}

const SELECT = `SELECT c.*, m.name, m.family FROM curves c JOIN models m ON m.id = c.model_id`;

function toCurve(row: CurveRow): GalleryCurve {
  return {
    modelId: row.model_id,
    model: row.name,
    family: row.family,
    encoderSha256: row.encoder_sha256,
    referenceSha256: row.reference_sha256,
    imageCount: row.image_count,
    values: JSON.parse(row.curve_values) as (number | null)[],
    computedUtc: row.computed_utc,
  };
}

/** Stores (or replaces) the model's curve for its encoder and reference set. */
export function saveModelCurve(db: Db, modelId: number, curve: ModelCurve, computedUtc: string = utcNow()): void {
  db.prepare(
    `INSERT OR REPLACE INTO curves (model_id, encoder_sha256, reference_sha256, image_count, curve_values, computed_utc)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(modelId, curve.encoderSha256, curve.referenceSha256, curve.imageCount, JSON.stringify(curve.values), computedUtc);
}

/** Stores the curve unless the model already has one for that encoder and reference set; true when stored. */
export function addModelCurve(db: Db, modelId: number, curve: ModelCurve): boolean {
  const exists = db.prepare('SELECT 1 FROM curves WHERE model_id = ? AND encoder_sha256 = ? AND reference_sha256 = ?').get(modelId, curve.encoderSha256, curve.referenceSha256);
  if (exists) return false;
  saveModelCurve(db, modelId, curve);
  return true;
}

/** Every model's curve for this encoder and reference set, in model-name order. */
export function galleryCurves(db: Db, encoderSha256: string, referenceSha256: string): GalleryCurve[] {
  const rows = db.prepare(`${SELECT} WHERE c.encoder_sha256 = ? AND c.reference_sha256 = ? ORDER BY m.name`).all(encoderSha256, referenceSha256) as CurveRow[];
  return rows.map(toCurve);
}

/** The model's most recently computed curve, whatever its encoder (what a pack carries). */
export function latestModelCurve(db: Db, modelId: number): ModelCurve | null {
  const row = db.prepare(`${SELECT} WHERE c.model_id = ? ORDER BY c.computed_utc DESC, c.encoder_sha256 LIMIT 1`).get(modelId) as CurveRow | undefined;
  if (!row) return null;
  const { encoderSha256, referenceSha256, imageCount, values } = toCurve(row);
  return { encoderSha256, referenceSha256, imageCount, values };
}

/** Whether the model has a curve for this encoder and reference set (the gallery browser's hasCurve). */
export function hasModelCurve(db: Db, modelId: number, key: { encoderSha256: string; referenceSha256: string } | null): boolean {
  if (!key) return false;
  return db.prepare('SELECT 1 FROM curves WHERE model_id = ? AND encoder_sha256 = ? AND reference_sha256 = ?').get(modelId, key.encoderSha256, key.referenceSha256) !== undefined;
}
