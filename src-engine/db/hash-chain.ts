// The hash chain shared by the append-only logs (a case's audit log, the gallery's history): an
// entry's hash covers its fields and the previous entry's hash, so editing, removing or inserting
// an entry breaks every link after it.
import { createHash } from 'node:crypto';
import type { ChainProblem } from '../api/contract.ts';

export interface ChainRow {
  seq: number;
  at_utc: string;
  actor: string;
  action: string;
  /** JSON text, hashed exactly as stored. */
  details: string;
  /**
   * The digests of the records the entry's change wrote (record-digests.ts), JSON text hashed as
   * stored; null (or absent) in entries that wrote none, and in every entry made before record digests.
   */
  records?: string | null;
  prev_hash: string;
  entry_hash: string;
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function chainEntryHash(row: Omit<ChainRow, 'entry_hash'>): string {
  // A JSON array is an unambiguous encoding of the fields (no delimiter games). An entry without
  // records hashes as entries always have, so the chains made before record digests still verify.
  const fields = [row.seq, row.at_utc, row.actor, row.action, row.details, row.prev_hash];
  return sha256Text(JSON.stringify(row.records == null ? fields : [...fields, row.records]));
}

export interface ChainCheck {
  entries: number;
  /** The last entry's hash (null for an empty log). */
  headHash: string | null;
  problems: ChainProblem[];
}

/**
 * Walks a log in sequence order from its genesis hash, and compares where it ends with the head
 * its holder keeps apart from it (so a cut-off tail shows). `holder` names that keeper in messages.
 */
export function verifyChain(rows: Iterable<ChainRow>, genesis: string, head: { seq: number; hash: string | null }, holder: string): ChainCheck {
  const problems: ChainProblem[] = [];
  let expectedPrev = genesis;
  let expectedSeq = 1;
  let entries = 0;
  let last: ChainRow | undefined;
  for (const row of rows) {
    entries++;
    if (row.seq !== expectedSeq) {
      problems.push({ seq: row.seq, problem: 'sequence_gap', message: `entry ${row.seq} follows entry ${expectedSeq - 1}: entries ${expectedSeq}..${row.seq - 1} are missing` });
    }
    if (chainEntryHash(row) !== row.entry_hash) {
      problems.push({ seq: row.seq, problem: 'altered', message: `entry ${row.seq} does not match its own hash: its content was changed` });
    }
    if (row.prev_hash !== expectedPrev) {
      problems.push({ seq: row.seq, problem: 'broken_link', message: `entry ${row.seq} does not link to the entry before it: an entry was removed, inserted or changed` });
    }
    expectedPrev = row.entry_hash;
    expectedSeq = row.seq + 1;
    last = row;
  }
  const headSeq = last?.seq ?? 0;
  const headHash = last?.entry_hash ?? null;
  if (headSeq !== head.seq || headHash !== head.hash) {
    problems.push({
      seq: headSeq,
      problem: 'head_mismatch',
      message: `the log ends at entry ${headSeq} but ${holder} records its head at entry ${head.seq}: entries were cut off or added outside the application`,
    });
  }
  return { entries, headHash, problems };
}
