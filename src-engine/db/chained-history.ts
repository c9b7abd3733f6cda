// An append-only, hash-chained history kept in a library-level database (the gallery's, the hash
// sets'): every change is one entry carrying the hash of the entry before it, and the database keeps
// the last entry's hash apart from the history (in its info row), so an edited, removed, inserted
// or cut-off entry shows. The database must have a `history` table (append-only by trigger) and an
// info table with history_head_seq and history_head_hash in its row id 1.
import { chainEntryHash, sha256Text, verifyChain, type ChainCheck, type ChainRow } from './hash-chain.ts';
import type { Db } from './open-database.ts';
import { utcNow } from '../base/time.ts';
import { takeRecordWrites, type RecordKind } from './record-digests.ts';

export interface HistoryEntry {
  seq: number;
  atUtc: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  entryHash: string;
}

export interface ChainedHistory {
  /** The table whose row 1 keeps the head. */
  infoTable: string;
  /** Text whose hash the first entry links to. */
  genesis: string;
  /** Names the store in messages ("the gallery"). */
  holder: string;
  /** The records whose digests each entry carries (db/record-digests.ts; its history has a `records` column); none when absent. */
  records?: readonly RecordKind[];
}

/** The last entry as the store records it (seq 0 and null before the first entry). */
export function historyHead(db: Db, history: ChainedHistory): { seq: number; hash: string | null } {
  const row = db.prepare(`SELECT history_head_seq AS seq, history_head_hash AS hash FROM ${history.infoTable} WHERE id = 1`).get() as { seq: number; hash: string | null } | undefined;
  if (!row) throw new Error(`${history.holder} database has no ${history.infoTable} row`);
  return row;
}

/** Appends one entry after the recorded head; call inside the transaction that makes the change it records. */
export function appendHistory(db: Db, history: ChainedHistory, actor: string, action: string, details: Record<string, unknown> = {}): void {
  const head = historyHead(db, history);
  const records = history.records ? takeRecordWrites(db, history.records) : [];
  const row = {
    seq: head.seq + 1,
    at_utc: utcNow(),
    actor,
    action,
    details: JSON.stringify(details),
    ...(history.records ? { records: records.length > 0 ? JSON.stringify(records) : null } : {}),
    prev_hash: head.hash ?? sha256Text(history.genesis),
  };
  const entryHash = chainEntryHash(row);
  const columns = Object.keys(row);
  db.prepare(`INSERT INTO history (${columns.join(', ')}, entry_hash) VALUES (${columns.map((c) => `@${c}`).join(', ')}, @entry_hash)`).run({ ...row, entry_hash: entryHash });
  db.prepare(`UPDATE ${history.infoTable} SET history_head_seq = ?, history_head_hash = ? WHERE id = 1`).run(row.seq, entryHash);
}

export function listHistory(db: Db): HistoryEntry[] {
  const rows = db.prepare('SELECT * FROM history ORDER BY seq').all() as ChainRow[];
  return rows.map((r) => ({ seq: r.seq, atUtc: r.at_utc, actor: r.actor, action: r.action, details: JSON.parse(r.details) as Record<string, unknown>, entryHash: r.entry_hash }));
}

/** The history's chain checked entry by entry and against the recorded head. */
export function verifyHistory(db: Db, history: ChainedHistory): ChainCheck & { ok: boolean } {
  const rows = db.prepare('SELECT * FROM history ORDER BY seq').iterate() as IterableIterator<ChainRow>;
  const check = verifyChain(rows, sha256Text(history.genesis), historyHead(db, history), history.holder);
  return { ok: check.problems.length === 0, ...check };
}
