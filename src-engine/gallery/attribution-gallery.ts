// The gallery as attribution sees it: the current extractor's fingerprints as one matrix, and per
// model what the flags need (reference image count and hashes), plus a sha256 of the snapshot so a
// result names exactly the gallery it was matched against.
import { createHash } from 'node:crypto';
import { ApiError } from '../api/errors.ts';
import type { Db } from '../db/open-database.ts';
import { embeddingSha256 } from '../fingerprint/fingerprint-store.ts';
import { currentFingerprints, fingerprintState, listModels, referenceEmbeddings, referenceImages } from './gallery-store.ts';
import { buildGalleryMatrix, type GalleryMatrix } from './identify.ts';
import { canonicalJson } from '../base/canonical-json.ts';

/** Below this many reference images an entry is a weak reference (the calibration's entries pool 10). */
export const STRONG_REFERENCE_IMAGES = 10;

export interface GalleryModelFacts {
  name: string;
  family: string;
  /** Reference images with an embedding from the current extractor (what the fingerprint averages). */
  imageCount: number;
  weakReference: boolean;
  referenceSha256s: ReadonlySet<string>;
  /** The per-image embeddings, for set encoders; read on demand. */
  embeddings(): Float32Array[];
}

export interface AttributionGallery {
  extractorSha256: string;
  matrix: GalleryMatrix;
  /** In matrix row order. */
  models: GalleryModelFacts[];
  /** Models without a fingerprint from this extractor: they take no part. */
  excluded: string[];
  sha256: string;
}

export function loadAttributionGallery(db: Db, extractorSha256: string): AttributionGallery {
  const fingerprints = currentFingerprints(db, extractorSha256);
  if (fingerprints.length === 0) {
    throw new ApiError('not_found', `the gallery has no fingerprints for the installed extractor (${extractorSha256}): enrol models with \`modelprint gallery enroll\` or import a pack`);
  }
  const models = fingerprints.map((f): GalleryModelFacts => {
    const embedded = referenceEmbeddings(db, f.modelId, extractorSha256);
    return {
      name: f.name,
      family: f.family,
      imageCount: embedded.size,
      weakReference: embedded.size < STRONG_REFERENCE_IMAGES,
      referenceSha256s: new Set(referenceImages(db, f.modelId).map((image) => image.sha256)),
      embeddings: () => [...referenceEmbeddings(db, f.modelId, extractorSha256).values()],
    };
  });
  const snapshot = fingerprints.map((f, i) => ({ name: f.name, family: f.family, imageCount: models[i]!.imageCount, fingerprintSha256: embeddingSha256(f.embedding) }));
  return {
    extractorSha256,
    matrix: buildGalleryMatrix(fingerprints),
    models,
    excluded: listModels(db)
      .filter((m) => fingerprintState(db, m.id, extractorSha256) !== 'current')
      .map((m) => m.name),
    sha256: createHash('sha256').update(canonicalJson({ extractorSha256, models: snapshot })).digest('hex'),
  };
}

/** The same models with each entry re-made by a set encoder over its reference embeddings. */
export async function setEncodedMatrix(gallery: AttributionGallery, encode: (bag: readonly Float32Array[]) => Promise<Float32Array>): Promise<GalleryMatrix> {
  const rows = await Promise.all(
    gallery.models.map(async (model, r) => ({ modelId: gallery.matrix.modelIds[r]!, name: model.name, family: model.family, embedding: await encode(model.embeddings()) })),
  );
  return buildGalleryMatrix(rows);
}
