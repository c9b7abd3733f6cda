// Matching a case's items against every set in the library at query time, by the SHA-256 and MD5
// intake recorded: the case keeps no copy of the sets, so importing or removing a set changes what
// later queries (and reports) show, and the report names each set it consulted by its file's hash.
import type { HashSetMatch } from '../api/hash-sets.ts';
import type { Db } from '../db/open-database.ts';

export interface HashedItem {
  id: number;
  sha256: string;
  md5: string;
}

/** Each item's matches (items without any left out), in set-name order. */
export function matchItems(hashSets: Db, items: Iterable<HashedItem>): Map<number, HashSetMatch[]> {
  const lookup = hashSets.prepare(
    `SELECT s.name, s.category, s.source_sha256, length(h.hex) AS width FROM hashes h JOIN hash_sets s ON s.id = h.set_id
     WHERE h.hex IN (?, ?) ORDER BY s.name, width DESC`,
  );
  const matches = new Map<number, HashSetMatch[]>();
  for (const item of items) {
    const rows = lookup.all(item.sha256.toLowerCase(), item.md5.toLowerCase()) as Array<{ name: string; category: HashSetMatch['category']; source_sha256: string; width: number }>;
    if (rows.length === 0) continue;
    // A set listing both of an item's hashes (an RDS row) is one match, named by its SHA-256.
    const perSet = new Map<string, HashSetMatch>();
    for (const r of rows) {
      if (!perSet.has(r.name)) perSet.set(r.name, { setName: r.name, category: r.category, setSha256: r.source_sha256, algorithm: r.width === 64 ? 'sha256' : 'md5' });
    }
    matches.set(item.id, [...perSet.values()]);
  }
  return matches;
}

/** Items of a case database with their intake hashes and names. */
export function caseHashedItems(caseDb: Db): Array<HashedItem & { originalName: string }> {
  return caseDb.prepare('SELECT id, sha256, md5, original_name AS originalName FROM evidence_items ORDER BY id').all() as Array<HashedItem & { originalName: string }>;
}
