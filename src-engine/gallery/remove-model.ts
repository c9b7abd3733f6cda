// Removing a model, or one of its reference images, from the gallery, recorded in its history
// (CLI `gallery remove` / `gallery remove-reference` and the API).
import { ApiError } from '../api/errors.ts';
import type { Db } from '../db/open-database.ts';
import { appendHistory } from './gallery-history.ts';
import { referenceRestore } from './gallery-undo.ts';
import { deleteModel, referenceImages, refreshFingerprint, requireModel, type GalleryModel } from './gallery-store.ts';

/** Removes the model with its reference images and fingerprints; refused while it is a parent. */
export function removeModel(db: Db, name: string, actor: string): GalleryModel {
  const model = requireModel(db, name);
  db.transaction(() => {
    deleteModel(db, model);
    appendHistory(db, actor, 'model.removed', { model: model.name, family: model.family, images: model.imageCount });
  })();
  return model;
}

/**
 * Removes one reference image (a wrong file enrolled by mistake) and recomputes the model's
 * fingerprint for every extractor it has one for, so nothing keeps the removed image's trace. The
 * last reference is not removed this way: removing the model says what is meant.
 */
export function removeReference(db: Db, name: string, sha256: string, actor: string): { model: string; removed: string; remaining: number } {
  const model = requireModel(db, name);
  const images = referenceImages(db, model.id);
  const image = images.find((i) => i.sha256 === sha256.toLowerCase());
  if (!image) throw new ApiError('not_found', `"${name}" has no reference image with sha256 ${sha256}`);
  if (images.length === 1) throw new ApiError('conflict', `${image.originalName} is the only reference image of "${name}": remove the model instead`);
  db.transaction(() => {
    const extractors = (db.prepare('SELECT DISTINCT extractor_sha256 FROM fingerprints WHERE model_id = ?').all(model.id) as Array<{ extractor_sha256: string }>).map((r) => r.extractor_sha256);
    // Its embeddings go into the history entry, so the removal can be undone (gallery-undo.ts).
    const restore = referenceRestore(db, model.id, image.sha256);
    db.prepare('DELETE FROM reference_images WHERE model_id = ? AND sha256 = ?').run(model.id, image.sha256);
    for (const extractor of extractors) refreshFingerprint(db, model.id, extractor);
    appendHistory(db, actor, 'reference.removed', { model: model.name, sha256: image.sha256, originalName: image.originalName, remaining: images.length - 1, restore });
  })();
  return { model: model.name, removed: image.originalName, remaining: images.length - 1 };
}
