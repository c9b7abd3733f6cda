// Re-hashes every stored original and compares it with the hash taken at intake. A mismatch or a
// missing file becomes a persistent finding in the case; a later clean check resolves it, and both
// stay on record.
import path from 'node:path';
import type { VerifyCounts } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { addCustodyEvent, allEvidence, type EvidenceRow } from '../cases/case-database.ts';
import { withCaseLock } from '../cases/case-lock.ts';
import { isSha256Hex } from '../cases/case-paths.ts';
import type { CaseHandle } from '../cases/library.ts';
import { recoverInterruptedWrites } from '../evidence/recovery.ts';
import { utcNow } from '../base/time.ts';
import { checkStoredCopy, type StoredCopyCheck } from './stored-copy.ts';
import { verifyReportFiles, type ReportProblem } from './verify-reports.ts';
import { verifyRecordsOfCase } from './verify-records.ts';
import type { RecordCheck } from '../audit/case-records.ts';

export interface VerifyProgress {
  total: number;
  done: number;
  current: string | null;
  counts: VerifyCounts;
}

export interface VerifyOptions {
  actor: string;
  /** Only these items (a report re-verifies what it covers); all items when absent. */
  itemIds?: readonly number[];
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
}

type Result = StoredCopyCheck;

async function checkItem(handle: CaseHandle, item: EvidenceRow, signal?: AbortSignal): Promise<Result> {
  return checkStoredCopy(handle.store.evidencePath(item.sha256), { sha256: item.sha256, sizeBytes: item.size_bytes }, signal);
}

/**
 * Outcomes are committed this many at a time, or after this long, each batch with one audit entry
 * (which carries its records' digests): a killed run has audited every outcome it committed.
 */
const BATCH_ITEMS = 200;
const BATCH_MS = 2000;

function recordResult(handle: CaseHandle, item: EvidenceRow, outcome: Result, actor: string, now: string): void {
  const { db } = handle;
  addCustodyEvent(db, item.id, now, actor, 'integrity_verified', { result: outcome.result });
  if (outcome.result === 'match') {
    // Only the stored copy's findings: a record that no longer matches the chain stays open (verify-records.ts).
    db.prepare("UPDATE findings SET resolved_utc = ? WHERE item_id = ? AND resolved_utc IS NULL AND kind IN ('hash_mismatch', 'missing_file')").run(now, item.id);
    return;
  }
  const kind = outcome.result === 'mismatch' ? 'hash_mismatch' : 'missing_file';
  const already = db.prepare('SELECT 1 FROM findings WHERE item_id = ? AND kind = ? AND resolved_utc IS NULL').get(item.id, kind);
  if (already) return;
  // Relative to the case folder, which stays valid when the case is moved or handed over.
  const file = isSha256Hex(item.sha256) ? path.relative(handle.dir, handle.store.evidencePath(item.sha256)) : null;
  const details =
    outcome.result === 'mismatch'
      ? { expectedSha256: item.sha256, actualSha256: outcome.actual, file, ...(outcome.note ? { message: outcome.note } : {}) }
      : { expectedSha256: item.sha256, message: outcome.message, file };
  db.prepare('INSERT INTO findings (item_id, kind, detected_utc, details) VALUES (?, ?, ?, ?)').run(item.id, kind, now, JSON.stringify(details));
  appendAudit(db, actor, `integrity.${kind}`, { itemId: item.id, ...details });
}

/** Commits a batch of outcomes: their custody events and findings, and one audit entry naming the items. */
function recordBatch(handle: CaseHandle, batch: Array<{ item: EvidenceRow; outcome: Result }>, actor: string): void {
  if (batch.length === 0) return;
  const now = utcNow();
  handle.db.transaction(() => {
    for (const { item, outcome } of batch) recordResult(handle, item, outcome, actor, now);
    appendAudit(handle.db, actor, 'integrity.items_checked', { items: batch.map((b) => b.item.id), results: tally(batch.map((b) => b.outcome.result)) });
  })();
  batch.length = 0;
}

function tally(results: readonly Result['result'][]): Partial<Record<Result['result'], number>> {
  const counts: Partial<Record<Result['result'], number>> = {};
  for (const r of results) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

export async function verifyEvidence(
  handle: CaseHandle,
  options: VerifyOptions,
): Promise<VerifyProgress & { cancelled: boolean; reportProblems: ReportProblem[]; records: RecordCheck | null }> {
  return withCaseLock(handle.dir, async () => {
    recoverInterruptedWrites(handle, options.actor);
    const only = options.itemIds ? new Set(options.itemIds) : null;
    const items = allEvidence(handle.db).filter((item) => only === null || only.has(item.id));
    const progress: VerifyProgress = { total: items.length, done: 0, current: null, counts: { verified: 0, mismatched: 0, missing: 0 } };
    options.onProgress?.(progress);
    const batch: Array<{ item: EvidenceRow; outcome: Result }> = [];
    let batchStarted = Date.now();
    for (const item of items) {
      if (options.signal?.aborted) break;
      progress.current = item.original_name;
      let outcome: Result;
      try {
        outcome = await checkItem(handle, item, options.signal);
      } catch (error) {
        if (options.signal?.aborted) break;
        outcome = { result: 'missing', message: `the stored copy cannot be read: ${(error as Error).message}` };
      }
      batch.push({ item, outcome });
      if (batch.length >= BATCH_ITEMS || Date.now() - batchStarted >= BATCH_MS) {
        recordBatch(handle, batch, options.actor);
        batchStarted = Date.now();
      }
      if (outcome.result === 'match') progress.counts.verified++;
      else if (outcome.result === 'mismatch') progress.counts.mismatched++;
      else progress.counts.missing++;
      progress.done++;
      options.onProgress?.(progress);
    }
    recordBatch(handle, batch, options.actor);
    const cancelled = options.signal?.aborted ?? false;
    // The reports the case holds are re-hashed too (after the items, which they describe).
    const reports = cancelled ? { checked: 0, problems: [] } : verifyReportFiles(handle, options.actor);
    // And every record of the case against the digests in its audit chain.
    const records = cancelled ? null : verifyRecordsOfCase(handle, options.actor);
    progress.current = null;
    handle.db.transaction(() =>
      appendAudit(handle.db, options.actor, cancelled ? 'integrity.verify_cancelled' : 'integrity.verified', {
        ...progress.counts,
        total: progress.total,
        ...(only ? { items: [...only] } : {}),
        ...(reports.checked > 0 ? { reports: reports.checked, reportProblems: reports.problems.length } : {}),
      }),
    )();
    return { ...progress, cancelled, reportProblems: reports.problems, records };
  });
}
