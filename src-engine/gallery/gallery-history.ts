// The gallery's append-only history: every change (enrolment, removal, import, seeding) is one
// entry of a hash-chained history whose head the gallery keeps apart from it (gallery_info).
// Each entry carries the digests of the records its change wrote (gallery-records.ts).
import type { RecordCoverage } from '../api/contract.ts';
import * as chained from '../db/chained-history.ts';
import type { ChainCheck } from '../db/hash-chain.ts';
import type { Db } from '../db/open-database.ts';
import { recordCoverage } from '../db/record-digests.ts';
import { GALLERY_RECORDS, verifyGalleryRecords } from './gallery-records.ts';

export type { HistoryEntry } from '../db/chained-history.ts';
export { listHistory } from '../db/chained-history.ts';

const GALLERY_HISTORY: chained.ChainedHistory = {
  infoTable: 'gallery_info',
  genesis: 'modelprint-gallery-history-genesis',
  holder: 'the gallery',
  records: GALLERY_RECORDS,
};

/** The last entry as the gallery records it (seq 0 and null before the first entry). */
export function historyHead(db: Db): { seq: number; hash: string | null } {
  return chained.historyHead(db, GALLERY_HISTORY);
}

/** Appends one entry after the recorded head; call inside the transaction that makes the change it records. */
export function appendHistory(db: Db, actor: string, action: string, details: Record<string, unknown> = {}): void {
  chained.appendHistory(db, GALLERY_HISTORY, actor, action, details);
}

/** The history's chain checked entry by entry and against the recorded head. */
export function verifyHistory(db: Db): ChainCheck & { ok: boolean } {
  return chained.verifyHistory(db, GALLERY_HISTORY);
}

/** The history's chain, and every record of the gallery against the digests the history holds. */
export function verifyGallery(db: Db): ChainCheck & { ok: boolean; records: RecordCoverage } {
  const check = verifyHistory(db);
  const records = recordCoverage(verifyGalleryRecords(db));
  return { ...check, ok: check.ok && records.problems.length === 0, records };
}
