// C_T curves in the case database: one append-only row per computed curve (migration 6), a
// 'curve-computed' custody event on every item it is made of and one audit entry carrying the
// curve and its sha256, all in one transaction.
import { createHash } from 'node:crypto';
import type { CurveRecord } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { addCustodyEvent } from '../cases/case-database.ts';
import type { Db } from '../db/open-database.ts';
import { canonicalJson } from '../base/canonical-json.ts';

export interface StoredCurve {
  id: string;
  actor: string;
  itemIds: number[];
  encoder: { name: string; sha256: string };
  referenceSha256: string;
  record: CurveRecord;
}

export function recordCurve(db: Db, curve: StoredCurve): string {
  const sha256 = createHash('sha256').update(canonicalJson(curve.record)).digest('hex');
  db.transaction(() => {
    db.prepare(
      `INSERT INTO curves (id, created_utc, actor, item_ids, encoder_name, encoder_sha256, reference_sha256, record, record_sha256)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(curve.id, curve.record.computedUtc, curve.actor, JSON.stringify(curve.itemIds), curve.encoder.name, curve.encoder.sha256, curve.referenceSha256, JSON.stringify(curve.record), sha256);
    for (const itemId of curve.itemIds) {
      addCustodyEvent(db, itemId, curve.record.computedUtc, curve.actor, 'curve-computed', { curveId: curve.id, recordSha256: sha256, encoderSha256: curve.encoder.sha256, referenceSha256: curve.referenceSha256 });
    }
    appendAudit(db, curve.actor, 'curve.computed', {
      curveId: curve.id,
      recordSha256: sha256,
      itemIds: curve.itemIds,
      encoder: curve.encoder,
      referenceSha256: curve.referenceSha256,
      values: curve.record.values,
      note: curve.record.note,
    });
  })();
  return sha256;
}

/** The case's latest curve for this encoder and reference set, or null. */
export function latestCurve(db: Db, encoderSha256: string, referenceSha256: string): (StoredCurve & { recordSha256: string }) | null {
  const row = db
    .prepare('SELECT * FROM curves WHERE encoder_sha256 = ? AND reference_sha256 = ? ORDER BY created_utc DESC, rowid DESC LIMIT 1')
    .get(encoderSha256, referenceSha256) as
    | { id: string; actor: string; item_ids: string; encoder_name: string; encoder_sha256: string; reference_sha256: string; record: string; record_sha256: string }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    actor: row.actor,
    itemIds: JSON.parse(row.item_ids) as number[],
    encoder: { name: row.encoder_name, sha256: row.encoder_sha256 },
    referenceSha256: row.reference_sha256,
    record: JSON.parse(row.record) as CurveRecord,
    recordSha256: row.record_sha256,
  };
}
