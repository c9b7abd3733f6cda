// The gallery's append-only history: every change (enrolment, removal, import, seeding) is one
// entry carrying the hash of the entry before it, and the gallery keeps the last entry's hash
// apart from the history (gallery_info), so an edited, removed, inserted or cut-off entry shows.
// Each entry carries the digests of the records its change wrote (gallery-records.ts).
import { chainEntryHash, sha256Text, verifyChain, type ChainCheck, type ChainRow } from '../db/hash-chain.ts';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';
import { recordCoverage, takeRecordWrites } from '../db/record-digests.ts';
import type { RecordCoverage } from '../api/contract.ts';
import { GALLERY_RECORDS, verifyGalleryRecords } from './gallery-records.ts';

export interface HistoryEntry {
  seq: number;
  atUtc: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

type HistoryRow = ChainRow;

const GENESIS_HASH = sha256Text('modelprint-gallery-history-genesis');

/** The last entry as the gallery records it (seq 0 and null before the first entry). */
export function historyHead(db: Db): { seq: number; hash: string | null } {
  const row = db.prepare('SELECT history_head_seq AS seq, history_head_hash AS hash FROM gallery_info WHERE id = 1').get() as { seq: number; hash: string | null } | undefined;
  if (!row) throw new Error('gallery database has no gallery_info row');
  return row;
}

/** Appends one entry after the recorded head; call inside the transaction that makes the change it records. */
export function appendHistory(db: Db, actor: string, action: string, details: Record<string, unknown> = {}): void {
  const head = historyHead(db);
  const records = takeRecordWrites(db, GALLERY_RECORDS);
  const row = {
    seq: head.seq + 1,
    at_utc: utcNow(),
    actor,
    action,
    details: JSON.stringify(details),
    records: records.length > 0 ? JSON.stringify(records) : null,
    prev_hash: head.hash ?? GENESIS_HASH,
  };
  const entryHash = chainEntryHash(row);
  db.prepare(
    'INSERT INTO history (seq, at_utc, actor, action, details, records, prev_hash, entry_hash) VALUES (@seq, @at_utc, @actor, @action, @details, @records, @prev_hash, @entry_hash)',
  ).run({
    ...row,
    entry_hash: entryHash,
  });
  db.prepare('UPDATE gallery_info SET history_head_seq = ?, history_head_hash = ? WHERE id = 1').run(row.seq, entryHash);
}

export function listHistory(db: Db): HistoryEntry[] {
  const rows = db.prepare('SELECT * FROM history ORDER BY seq').all() as HistoryRow[];
  return rows.map((r) => ({ seq: r.seq, atUtc: r.at_utc, actor: r.actor, action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** The history's chain checked entry by entry and against the recorded head. */
export function verifyHistory(db: Db): ChainCheck & { ok: boolean } {
  const rows = db.prepare('SELECT * FROM history ORDER BY seq').iterate() as IterableIterator<HistoryRow>;
  const check = verifyChain(rows, GENESIS_HASH, historyHead(db), 'the gallery');
  return { ok: check.problems.length === 0, ...check };
}

/** The history's chain, and every record of the gallery against the digests the history holds. */
export function verifyGallery(db: Db): ChainCheck & { ok: boolean; records: RecordCoverage } {
  const check = verifyHistory(db);
  const records = recordCoverage(verifyGalleryRecords(db));
  return { ...check, ok: check.ok && records.problems.length === 0, records };
}
