// The library's hash sets (<home>/hash-sets.sqlite): import a list under a name and category,
// list and remove sets. Every import and removal is an entry of the store's hash-chained history.
import path from 'node:path';
import { ApiError } from '../api/errors.ts';
import type { HashSetCategory, HashSetImportOutcome, HashSetSummary, HashListFormat } from '../api/hash-sets.ts';
import { appendHistory, verifyHistory, type ChainedHistory } from '../db/chained-history.ts';
import type { ChainCheck } from '../db/hash-chain.ts';
import { openDatabase, type Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';
import { hashSetMigrations } from './hash-set-migrations.ts';
import { parseHashList } from './parse-hash-list.ts';

export const HASH_SET_DB = 'hash-sets.sqlite';

const HASH_SET_HISTORY: ChainedHistory = { infoTable: 'hash_set_info', genesis: 'modelprint-hash-set-history-genesis', holder: 'the hash-set store' };

export function openHashSetDatabase(home: string): Db {
  return openDatabase(path.join(home, HASH_SET_DB), hashSetMigrations);
}

/** Runs `work` on the library's hash-set database, closed afterwards. */
export async function withHashSets<T>(home: string, work: (db: Db) => T | Promise<T>): Promise<T> {
  const db = openHashSetDatabase(home);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

interface SetRow {
  name: string;
  category: HashSetCategory;
  format: HashListFormat;
  source_name: string;
  source_sha256: string;
  imported_utc: string;
  imported_by: string;
  bad_line_count: number;
  sha256_count: number;
  md5_count: number;
}

const SET_SELECT = `
  SELECT s.*, (SELECT count(*) FROM hashes h WHERE h.set_id = s.id AND length(h.hex) = 64) AS sha256_count,
              (SELECT count(*) FROM hashes h WHERE h.set_id = s.id AND length(h.hex) = 32) AS md5_count
  FROM hash_sets s`;

function toSummary(row: SetRow): HashSetSummary {
  return {
    name: row.name,
    category: row.category,
    format: row.format,
    sourceName: row.source_name,
    sourceSha256: row.source_sha256,
    importedUtc: row.imported_utc,
    importedBy: row.imported_by,
    sha256Count: row.sha256_count,
    md5Count: row.md5_count,
    badLineCount: row.bad_line_count,
  };
}

export function listHashSets(db: Db): HashSetSummary[] {
  return (db.prepare(`${SET_SELECT} ORDER BY s.name`).all() as SetRow[]).map(toSummary);
}

function findSet(db: Db, name: string): HashSetSummary | undefined {
  const row = db.prepare(`${SET_SELECT} WHERE s.name = ?`).get(name) as SetRow | undefined;
  return row && toSummary(row);
}

export interface HashSetImport {
  name: string;
  category: HashSetCategory;
  file: string;
  actor: string;
  signal?: AbortSignal;
}

/**
 * Reads the list (streamed) and stores it as one set in one transaction, so a failed or cancelled
 * import leaves nothing behind. A list with no usable hash at all is refused.
 */
export async function importHashSet(db: Db, input: HashSetImport): Promise<HashSetImportOutcome> {
  if (findSet(db, input.name)) throw new ApiError('conflict', `a hash set named "${input.name}" already exists: remove it first or choose another name`);
  let parsed;
  try {
    parsed = await parseHashList(input.file, input.signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new ApiError('not_found', `cannot read the hash list ${input.file} (${code}).`);
    throw error;
  }
  if (parsed.hashes.size === 0) {
    throw new ApiError('invalid_input', `${input.file} holds no SHA-256 or MD5 hash (${parsed.badLineCount} lines could not be read as hashes); nothing was imported.`);
  }
  db.transaction(() => {
    if (findSet(db, input.name)) throw new ApiError('conflict', `a hash set named "${input.name}" already exists: remove it first or choose another name`);
    const setId = Number(
      db
        .prepare('INSERT INTO hash_sets (name, category, format, source_name, source_sha256, imported_utc, imported_by, bad_line_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(input.name, input.category, parsed.format, path.basename(input.file), parsed.sourceSha256, utcNow(), input.actor, parsed.badLineCount).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO hashes (hex, set_id) VALUES (?, ?)');
    for (const hex of parsed.hashes) insert.run(hex, setId);
    appendHistory(db, HASH_SET_HISTORY, input.actor, 'hashset.imported', {
      name: input.name,
      category: input.category,
      format: parsed.format,
      file: input.file,
      sha256: parsed.sourceSha256,
      hashes: parsed.hashes.size,
      badLines: parsed.badLineCount,
    });
  })();
  return { set: findSet(db, input.name)!, badLines: parsed.badLines };
}

export function removeHashSet(db: Db, name: string, actor: string): HashSetSummary {
  return db.transaction(() => {
    const set = findSet(db, name);
    if (!set) throw new ApiError('not_found', `no hash set named "${name}" in the library`);
    db.prepare('DELETE FROM hash_sets WHERE name = ?').run(name);
    appendHistory(db, HASH_SET_HISTORY, actor, 'hashset.removed', { name, category: set.category, sha256: set.sourceSha256, hashes: set.sha256Count + set.md5Count });
    return set;
  })();
}

/** The store's history chain checked entry by entry and against its recorded head. */
export function verifyHashSetHistory(db: Db): ChainCheck & { ok: boolean } {
  return verifyHistory(db, HASH_SET_HISTORY);
}
