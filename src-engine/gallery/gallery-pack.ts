// Gallery packs: a gallery (or some of its models) as one JSON file, with the sha256 of its bytes
// written beside it (<pack>.sha256, sha256sum format) so a pack that changed in transit is refused.
// A pack holds embeddings of one extractor; for another extractor they mean nothing. Version 2
// may also carry each model's C_T curve (labelled with its own layered encoder and reference set);
// version 1 packs, without curves, are still read.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/errors.ts';
import type { Db } from '../db/open-database.ts';
import { blobToEmbedding, embeddingToBlob } from '../fingerprint/fingerprint-store.ts';
import { utcNow } from '../base/time.ts';
import { assertShippedFile } from '../models/shipped-files.ts';
import { addModelCurve, latestModelCurve, modelCurveSchema } from './gallery-curves.ts';
import { appendHistory } from './gallery-history.ts';
import {
  addReferenceEmbedding,
  addReferenceImage,
  describeModel,
  findModel,
  insertModel,
  listModels,
  referenceEmbeddings,
  referenceImages,
  refreshFingerprint,
  requireModel,
  updateModel,
  type GalleryModel,
} from './gallery-store.ts';

export const PACK_FORMAT = 'modelprint-gallery-pack';
export const PACK_VERSION = 2;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const packSchema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.union([z.literal(1), z.literal(PACK_VERSION)]),
  createdUtc: z.string(),
  extractor: z.object({ name: z.string(), sha256: sha256Hex }),
  models: z.array(
    z.object({
      name: z.string().min(1),
      family: z.string(),
      version: z.string(),
      source: z.string(),
      notes: z.string(),
      parent: z.string().nullable(),
      images: z.array(
        z.object({
          sha256: sha256Hex,
          originalName: z.string(),
          /** float32 little-endian, base64; null when the image has no embedding from this extractor. */
          embedding: z.string().nullable(),
        }),
      ),
      /** The model's C_T curve (version 2; absent when it has none). */
      curve: modelCurveSchema.optional(),
    }),
  ),
});

export type GalleryPack = z.infer<typeof packSchema>;

/** A pack whose bytes do not match the hash written beside it. */
export class PackIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackIntegrityError';
  }
}

/** The named models (all when none are named) plus their ancestors, parents first, as a pack. */
export function buildPack(db: Db, extractor: { name: string; sha256: string }, names?: readonly string[]): GalleryPack {
  const all = listModels(db);
  const byName = new Map(all.map((m) => [m.name, m]));
  const selected: GalleryModel[] = [];
  const add = (model: GalleryModel): void => {
    if (selected.includes(model)) return;
    if (model.parent !== null) add(byName.get(model.parent)!);
    selected.push(model);
  };
  for (const model of names ? names.map((name) => requireModel(db, name)) : all) add(model);
  return {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    createdUtc: utcNow(),
    extractor,
    models: selected.map((m) => {
      const embeddings = referenceEmbeddings(db, m.id, extractor.sha256);
      return {
        ...describeModel(m),
        images: referenceImages(db, m.id).map((image) => {
          const embedding = embeddings.get(image.sha256);
          return { sha256: image.sha256, originalName: image.originalName, embedding: embedding ? embeddingToBlob(embedding).toString('base64') : null };
        }),
        curve: latestModelCurve(db, m.id) ?? undefined,
      };
    }),
  };
}

/** Writes the pack and <file>.sha256; returns the pack's sha256. */
export function writePack(file: string, pack: GalleryPack): string {
  const bytes = Buffer.from(`${JSON.stringify(pack, null, 1)}\n`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  fs.writeFileSync(file, bytes);
  fs.writeFileSync(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
  return sha256;
}

/** Reads a pack after checking its bytes against <file>.sha256; returns it with that hash. */
export function readVerifiedPack(file: string): { pack: GalleryPack; sha256: string } {
  assertShippedFile(file);
  const bytes = fs.readFileSync(file);
  const sidecar = `${file}.sha256`;
  if (!fs.existsSync(sidecar)) throw new ApiError('not_found', `${sidecar} is missing: a pack is only imported with the hash written beside it`);
  const expected = /^([0-9a-f]{64})\b/i.exec(fs.readFileSync(sidecar, 'utf8').trim())?.[1]?.toLowerCase();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== expected) throw new PackIntegrityError(`${file} does not match ${sidecar}: its sha256 is ${sha256}, expected ${expected ?? '(none stated)'}. The pack was changed or damaged.`);
  const parsed = packSchema.safeParse(JSON.parse(bytes.toString('utf8')));
  if (!parsed.success) throw new ApiError('invalid_input', `${file} is not a Modelprint gallery pack: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { pack: parsed.data, sha256 };
}

function decodeEmbedding(base64: string, model: string): Float32Array {
  const embedding = blobToEmbedding(Buffer.from(base64, 'base64'));
  if (embedding.length === 0 || !embedding.every(Number.isFinite)) throw new ApiError('invalid_input', `the pack holds an unusable embedding for "${model}"`);
  return embedding;
}

export interface ImportOutcome {
  packSha256: string;
  extractorSha256: string;
  /** True when the pack's extractor is not the installed one: only metadata was imported. */
  metadataOnly: boolean;
  added: string[];
  /** Existing models that gained images or embeddings (their own metadata is kept). */
  updated: string[];
  skipped: string[];
}

export interface ImportOptions {
  actor: string;
  /** The installed extractor's sha256 (null when none is installed). */
  currentExtractorSha256: string | null;
  /** Import a pack of another extractor, metadata and image hashes only. */
  allowStale: boolean;
  /** The history entry's action (seeding records itself as such). */
  action?: string;
}

export function importPack(db: Db, pack: GalleryPack, packSha256: string, options: ImportOptions): ImportOutcome {
  const metadataOnly = pack.extractor.sha256 !== options.currentExtractorSha256;
  if (metadataOnly && !options.allowStale) {
    throw new ApiError(
      'conflict',
      `the pack's fingerprints were made by extractor ${pack.extractor.name} (${pack.extractor.sha256}), not the installed one (${options.currentExtractorSha256 ?? 'none'}): ` +
        'use --allow-stale to import its models without fingerprints, then re-enrol them',
    );
  }
  const inPack = new Set(pack.models.map((m) => m.name));
  const outcome: ImportOutcome = { packSha256, extractorSha256: pack.extractor.sha256, metadataOnly, added: [], updated: [], skipped: [] };
  db.transaction(() => {
    for (const m of pack.models) {
      if (m.parent !== null && !inPack.has(m.parent) && !findModel(db, m.parent)) {
        throw new ApiError('invalid_input', `"${m.name}" descends from "${m.parent}", which is neither in the pack nor in the gallery`);
      }
      const existing = findModel(db, m.name);
      const modelId = existing?.id ?? insertModel(db, m.name, m, null);
      let embeddingsAdded = 0;
      for (const image of m.images) {
        const imageId = addReferenceImage(db, modelId, image.sha256, image.originalName);
        if (!metadataOnly && image.embedding !== null && addReferenceEmbedding(db, imageId, pack.extractor.sha256, decodeEmbedding(image.embedding, m.name))) embeddingsAdded++;
      }
      // A curve is labelled with its own encoder and reference set, so it comes in whatever the extractor.
      const curveAdded = m.curve !== undefined && addModelCurve(db, modelId, m.curve);
      const changed = embeddingsAdded > 0 || curveAdded || requireModel(db, m.name).imageCount !== (existing?.imageCount ?? 0);
      if (!metadataOnly) refreshFingerprint(db, modelId, pack.extractor.sha256);
      (!existing ? outcome.added : changed ? outcome.updated : outcome.skipped).push(m.name);
    }
    // Parents are linked once every model of the pack exists, whatever their order in it.
    for (const m of pack.models) {
      if (outcome.added.includes(m.name) && m.parent !== null) updateModel(db, requireModel(db, m.name).id, {}, m.parent);
    }
    appendHistory(db, options.actor, options.action ?? 'pack.imported', { ...outcome, extractor: pack.extractor });
  })();
  return outcome;
}
