// Enrolling under a name the gallery already holds adds images to that model: done by mistake
// (other generator's images under "sdxl") it contaminates the model without a warning. So adding
// to an existing model is an explicit choice in the app, the CLI and the API.
import { ApiError } from '../api/errors.ts';
import type { Db } from '../db/open-database.ts';
import { findModel } from './gallery-store.ts';

export function assertEnrolTarget(db: Db, name: string, addToExisting: boolean, howToConfirm: string): void {
  const existing = findModel(db, name);
  if (existing && !addToExisting) {
    throw new ApiError('conflict', `a model named "${name}" already exists (${existing.imageCount} reference images): to add these images to it, ${howToConfirm}; otherwise choose another name`);
  }
}
