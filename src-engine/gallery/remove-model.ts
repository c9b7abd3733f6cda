// Removing a model from the gallery, recorded in its history (CLI `gallery remove` and the API).
import type { Db } from '../db/open-database.ts';
import { appendHistory } from './gallery-history.ts';
import { deleteModel, requireModel, type GalleryModel } from './gallery-store.ts';

/** Removes the model with its reference images and fingerprints; refused while it is a parent. */
export function removeModel(db: Db, name: string, actor: string): GalleryModel {
  const model = requireModel(db, name);
  db.transaction(() => {
    deleteModel(db, model);
    appendHistory(db, actor, 'model.removed', { model: model.name, family: model.family, images: model.imageCount });
  })();
  return model;
}
