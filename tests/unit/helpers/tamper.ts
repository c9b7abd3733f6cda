// Opens a case database the way someone editing it behind the application's back would: with
// their own SQLite connection, after dropping the triggers that make the log append-only.
import Database from 'better-sqlite3';
import path from 'node:path';
import { chainEntryHash } from '../../../src-engine/db/hash-chain.ts';

const GUARD_TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete', 'evidence_no_delete', 'custody_no_change', 'custody_no_delete'];

export function openAsTamperer(caseDir: string): Database.Database {
  const db = new Database(path.join(caseDir, 'case.sqlite'));
  for (const trigger of GUARD_TRIGGERS) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
  return db;
}

/** The entry hash as the application computes it: a tamperer with the source can forge it. */
export const forgeEntryHash = chainEntryHash;
