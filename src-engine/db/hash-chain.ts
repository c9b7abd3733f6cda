// The hash chain shared by the append-only logs (a case's audit log, the gallery's history): an
// entry's hash covers its fields and the previous entry's hash, so editing, removing or inserting
// an entry breaks every link after it.
import { createHash } from 'node:crypto';

export interface ChainRow {
  seq: number;
  at_utc: string;
  actor: string;
  action: string;
  /** JSON text, hashed exactly as stored. */
  details: string;
  prev_hash: string;
  entry_hash: string;
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function chainEntryHash(row: Omit<ChainRow, 'entry_hash'>): string {
  // A JSON array is an unambiguous encoding of the fields (no delimiter games).
  return sha256Text(JSON.stringify([row.seq, row.at_utc, row.actor, row.action, row.details, row.prev_hash]));
}
