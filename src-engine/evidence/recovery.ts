// Brings a case back to a consistent state after a crash or kill in the middle of a write.
import { appendAudit } from '../audit/audit-log.ts';
import type { CaseHandle } from '../cases/library.ts';
import { sweepUnrecordedReports } from '../cases/report-sweep.ts';

/** Call with the case's write lock held. */
export function recoverInterruptedWrites(handle: CaseHandle, actor: string): void {
  const recorded = handle.db.prepare('SELECT 1 FROM evidence_items WHERE sha256 = ?');
  const thumbed = handle.db.prepare('SELECT 1 FROM evidence_items WHERE sha256 = ? AND has_thumbnail = 1');
  const swept = handle.store.sweep((sha) => recorded.get(sha) !== undefined, (sha) => thumbed.get(sha) !== undefined);
  const reports = sweepUnrecordedReports(handle);
  const reportFiles = reports.partialFiles.length + reports.unrecordedFiles.length;
  if (swept.orphanEvidence + swept.orphanThumbnails + swept.tmpFiles + reportFiles === 0) return;
  handle.db.transaction(() => appendAudit(handle.db, actor, 'recovery.swept', { ...swept, ...(reportFiles > 0 ? { reports } : {}) }))();
}
