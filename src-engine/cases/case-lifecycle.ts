// A case's life: its details corrected, closed when the examination is finished (no new evidence),
// archived (read-only: the database's own triggers refuse every change, case-migrations v7), and
// reopened or unarchived. Every step is an audit entry with what changed.
import type { CaseStatus, CaseSummary } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { utcNow } from '../base/time.ts';
import type { Db } from '../db/open-database.ts';
import { readCaseSummary } from './case-database.ts';

export interface CaseChanges {
  title?: string;
  examiner?: string;
  description?: string;
}

/** The columns an examiner may correct (named here, never taken from the request). */
const FIELDS = ['title', 'examiner', 'description'] as const;

export function updateCaseDetails(db: Db, actor: string, changes: CaseChanges): CaseSummary {
  assertCaseAllows(db, 'changes');
  const before = readCaseSummary(db);
  const changed = FIELDS.filter((key) => changes[key] !== undefined && changes[key] !== before[key]);
  if (changed.length === 0) return before;
  db.transaction(() => {
    for (const key of changed) db.prepare(`UPDATE case_info SET ${key} = ?, modified_utc = ? WHERE id = 1`).run(changes[key], utcNow());
    appendAudit(db, actor, 'case.updated', Object.fromEntries(changed.map((key) => [key, { from: before[key], to: changes[key] }])));
  })();
  return readCaseSummary(db);
}

const ACTION: Record<CaseStatus, string> = { open: 'case.reopened', closed: 'case.closed', archived: 'case.archived' };

export function setCaseStatus(db: Db, actor: string, status: CaseStatus): CaseSummary {
  const current = readCaseSummary(db).status;
  if (current === status) return readCaseSummary(db);
  const now = utcNow();
  db.transaction(() => {
    // Unarchiving is the one change an archived case accepts; the rest follows once it is writable.
    if (current === 'archived') db.prepare('UPDATE case_info SET archived_utc = NULL WHERE id = 1').run();
    db.prepare('UPDATE case_info SET status = ?, modified_utc = ? WHERE id = 1').run(status === 'open' ? 'open' : 'closed', now);
    appendAudit(db, actor, current === 'archived' ? 'case.unarchived' : ACTION[status], { from: current, to: status });
    // Last: from here on the database refuses every write, this transaction's included.
    if (status === 'archived') db.prepare('UPDATE case_info SET archived_utc = ? WHERE id = 1').run(now);
  })();
  return readCaseSummary(db);
}

/**
 * Refuses work the case's state does not allow, before a job starts: new evidence needs an open
 * case; anything that writes (analyses, verification, reports) needs one that is not archived.
 * The database enforces the same (case-migrations v7); this says so up front, in words.
 */
export function assertCaseAllows(db: Db, work: 'new evidence' | 'changes'): void {
  const { status, number } = readCaseSummary(db);
  if (status === 'archived') throw new ApiError('conflict', `case ${number} is archived: it is read-only (unarchive it to change it)`);
  if (work === 'new evidence' && status === 'closed') throw new ApiError('conflict', `case ${number} is closed: it takes no new evidence (reopen it first)`);
}
