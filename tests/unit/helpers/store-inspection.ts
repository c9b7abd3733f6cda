// Looks at a case the way an auditor would: the files on disk against the rows in the database.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { allEvidence } from '../../../src-engine/cases/case-database.ts';
import type { CaseHandle } from '../../../src-engine/cases/library.ts';

export function sha256OfFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export interface StoreListing {
  evidence: string[];
  thumbnails: string[];
  tmp: string[];
}

/** The sha256 names found in the store, and whatever lies in tmp/. */
export function listStore(caseDir: string): StoreListing {
  return {
    evidence: filesUnder(path.join(caseDir, 'evidence')).map((f) => path.basename(f)),
    thumbnails: filesUnder(path.join(caseDir, 'thumbs')).map((f) => path.basename(f, '.webp')),
    tmp: filesUnder(path.join(caseDir, 'tmp')),
  };
}

/**
 * Every row has its whole, read-only stored file and (if it says so) its thumbnail, plus the
 * custody and audit entries written in the same transaction: no half-recorded items.
 */
export function assertEveryRowIsWhole(handle: CaseHandle): void {
  const receivedCustody = handle.db.prepare("SELECT count(*) AS n FROM custody_events WHERE item_id = ? AND action = 'received'");
  const receivedAudit = handle.db.prepare(
    "SELECT count(*) AS n FROM audit_log WHERE action = 'evidence.received' AND json_extract(details, '$.itemId') = ?",
  );
  for (const row of allEvidence(handle.db)) {
    const file = handle.store.evidencePath(row.sha256);
    assert.ok(fs.existsSync(file), `stored file of item ${row.id} exists`);
    assert.equal(sha256OfFile(file), row.sha256, `stored file of item ${row.id} has the recorded hash`);
    assert.equal(fs.statSync(file).size, row.size_bytes);
    assert.equal(fs.statSync(file).mode & 0o777, 0o444, `stored file of item ${row.id} is read-only`);
    if (row.has_thumbnail) assert.ok(fs.existsSync(handle.store.thumbnailPath(row.sha256)), `thumbnail of item ${row.id} exists`);
    assert.equal((receivedCustody.get(row.id) as { n: number }).n, 1, `item ${row.id} has one 'received' custody event`);
    assert.equal((receivedAudit.get(row.id) as { n: number }).n, 1, `item ${row.id} has one 'evidence.received' audit entry`);
  }
}

/** Files on disk that no row accounts for (what an interrupted write may leave behind). */
export function findOrphans(handle: CaseHandle): StoreListing {
  const rows = allEvidence(handle.db);
  const known = new Set(rows.map((r) => r.sha256));
  const thumbed = new Set(rows.filter((r) => r.has_thumbnail).map((r) => r.sha256));
  const listing = listStore(handle.dir);
  return {
    evidence: listing.evidence.filter((sha) => !known.has(sha)),
    thumbnails: listing.thumbnails.filter((sha) => !thumbed.has(sha)),
    tmp: listing.tmp,
  };
}
