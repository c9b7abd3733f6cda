// The library's gallery as the CLI uses it: <home>/gallery.sqlite, seeded on first use from the
// bundled default pack (resources/gallery/default-pack.json) so a fresh install attributes out of
// the box. Seeding happens once, when the history has never had an entry: a gallery its examiner
// emptied stays empty.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { appendHistory, historyHead } from './gallery-history.ts';
import { importPack, readVerifiedPack } from './gallery-pack.ts';
import { openGalleryDatabase } from './gallery-store.ts';

export const DEFAULT_PACK = 'default-pack.json';

/** The bundled pack: in the packaged app's resources, or in resources/gallery above this file (source tree, out/main). */
export function locateDefaultPack(from: string = import.meta.dirname): string | null {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = resourcesPath ? [path.join(resourcesPath, 'gallery', DEFAULT_PACK)] : [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'resources', 'gallery', DEFAULT_PACK));
    if (path.dirname(dir) === dir) break;
  }
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}

export interface SeedOptions {
  actor: string;
  currentExtractorSha256: string | null;
  /** The pack to seed from (default: the bundled one; null: none). */
  pack?: string | null;
}

/** Opens the library's gallery, seeding a new one from the default pack. */
export function openLibraryGallery(home: string, options: SeedOptions): Db {
  const db = openGalleryDatabase(home);
  try {
    if (historyHead(db).seq === 0) seed(db, options);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs `work` on the library's gallery (seeded on first use), closed afterwards. */
export async function withLibraryGallery<T>(home: string, options: SeedOptions, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openLibraryGallery(home, options);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

function seed(db: Db, options: SeedOptions): void {
  const file = options.pack === undefined ? locateDefaultPack() : options.pack;
  if (file === null) {
    db.transaction(() => appendHistory(db, options.actor, 'gallery.created', { seededFrom: null }))();
    return;
  }
  const { pack, sha256 } = readVerifiedPack(file);
  // A bundled pack made by another extractor still brings the models; their entries read as stale.
  importPack(db, pack, sha256, { actor: options.actor, currentExtractorSha256: options.currentExtractorSha256, allowStale: true, action: 'gallery.seeded' });
}
