// What the gallery browser shows of a gallery: its models with their fingerprint state and the
// history check (GalleryOverview), and the families view of the fingerprints (GalleryFamilies).
import type { GalleryFamilies, GalleryOverview } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { loadAttributionGallery, STRONG_REFERENCE_IMAGES } from './attribution-gallery.ts';
import type { Db } from '../db/open-database.ts';
import { clusterFingerprints } from './families.ts';
import { fingerprintMap } from './fingerprint-map.ts';
import { hasModelCurve } from './gallery-curves.ts';
import { verifyGallery } from './gallery-history.ts';
import { currentFingerprints, describeModel, fingerprintState, listModels } from './gallery-store.ts';

/**
 * The families view clusters at most this many models: ml-hclust's agglomeration is cubic in the
 * number of models (about a second at 500), and a heatmap of more is no longer readable.
 */
export const MAX_FAMILY_MODELS = 500;

/** `curveKey`: the installed layered encoder and reference set a curve must have been made with (null: none installed). */
export function galleryOverview(db: Db, extractor: { name: string; sha256: string }, curveKey: { encoderSha256: string; referenceSha256: string } | null): GalleryOverview {
  const models = listModels(db).map((m) => ({
    ...describeModel(m),
    imageCount: m.imageCount,
    weakReference: m.imageCount < STRONG_REFERENCE_IMAGES,
    fingerprintState: fingerprintState(db, m.id, extractor.sha256),
    hasCurve: hasModelCurve(db, m.id, curveKey),
    createdUtc: m.createdUtc,
  }));
  const { ok, entries, headHash, problems, records } = verifyGallery(db);
  return { extractor, models, history: { ok, entries, headHash, problems, records }, snapshotSha256: loadAttributionGallery(db, extractor.sha256).sha256 };
}

export function galleryFamilies(db: Db, extractorSha256: string): GalleryFamilies {
  const fingerprints = currentFingerprints(db, extractorSha256);
  if (fingerprints.length > MAX_FAMILY_MODELS) {
    throw new ApiError('unsupported', `the families view clusters at most ${MAX_FAMILY_MODELS} models; this gallery has ${fingerprints.length} with a current fingerprint`);
  }
  const included = new Set(fingerprints.map((f) => f.name));
  const embeddings = fingerprints.map((f) => f.embedding);
  return {
    models: fingerprints.map((f) => f.name),
    families: fingerprints.map((f) => f.family),
    ...clusterFingerprints(embeddings),
    map: fingerprintMap(embeddings),
    excluded: listModels(db).map((m) => m.name).filter((name) => !included.has(name)),
  };
}
