// The gallery's append-only history: every change (enrolment, removal, import, seeding) is one
// entry carrying the hash of the entry before it, so an edited or removed entry shows.
import { chainEntryHash, sha256Text, type ChainRow } from '../db/hash-chain.ts';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../time.ts';

export interface HistoryEntry {
  seq: number;
  atUtc: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

type HistoryRow = ChainRow;

const GENESIS_HASH = sha256Text('modelprint-gallery-history-genesis');

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendHistory(db: Db, actor: string, action: string, details: Record<string, unknown> = {}): void {
  const last = db.prepare('SELECT seq, entry_hash FROM history ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: string } | undefined;
  const row = { seq: (last?.seq ?? 0) + 1, at_utc: utcNow(), actor, action, details: JSON.stringify(details), prev_hash: last?.entry_hash ?? GENESIS_HASH };
  db.prepare('INSERT INTO history (seq, at_utc, actor, action, details, prev_hash, entry_hash) VALUES (@seq, @at_utc, @actor, @action, @details, @prev_hash, @entry_hash)').run({
    ...row,
    entry_hash: chainEntryHash(row),
  });
}

export function listHistory(db: Db): HistoryEntry[] {
  const rows = db.prepare('SELECT * FROM history ORDER BY seq').all() as HistoryRow[];
  return rows.map((r) => ({ seq: r.seq, atUtc: r.at_utc, actor: r.actor, action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Sequence numbers of entries whose content or link to the previous entry does not hold. */
export function brokenHistoryEntries(db: Db): number[] {
  const broken: number[] = [];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of db.prepare('SELECT * FROM history ORDER BY seq').iterate() as IterableIterator<HistoryRow>) {
    if (row.seq !== expectedSeq || row.prev_hash !== prev || chainEntryHash(row) !== row.entry_hash) broken.push(row.seq);
    prev = row.entry_hash;
    expectedSeq = row.seq + 1;
  }
  return broken;
}
