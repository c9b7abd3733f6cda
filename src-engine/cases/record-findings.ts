// A record that no longer matches the digest its chain recorded (audit/case-records.ts, or a gallery
// entry its history) is a finding of the case: on the item the record belongs to where there is
// one, naming the record in its details. A later check that finds it intact again resolves it.
import { appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/open-database.ts';
import type { RecordProblem } from '../audit/case-records.ts';
import { utcNow } from '../base/time.ts';

interface OpenRecordFinding {
  id: number;
  details: string;
}

function identity(kind: unknown, key: unknown, problem: unknown): string {
  return JSON.stringify([kind, key, problem]);
}

/** The evidence item a record belongs to, when that item is still in the case. */
function itemOf(db: Db, problem: RecordProblem): number | null {
  const first = problem.key[0];
  let itemId: unknown = null;
  if (problem.kind === 'evidence' || problem.kind === 'fingerprint' || problem.kind === 'provenance') itemId = first;
  else if (problem.kind === 'custody') itemId = (db.prepare('SELECT item_id FROM custody_events WHERE id = ?').get(first) as { item_id: number } | undefined)?.item_id ?? null;
  if (typeof itemId !== 'number') return null;
  return db.prepare('SELECT 1 FROM evidence_items WHERE id = ?').get(itemId) ? itemId : null;
}

function openRecordFindings(db: Db): OpenRecordFinding[] {
  return db.prepare("SELECT id, details FROM findings WHERE kind = 'record_mismatch' AND resolved_utc IS NULL ORDER BY id").all() as OpenRecordFinding[];
}

/**
 * Records each problem not already an open finding, with an audit entry; call inside a transaction.
 * `detectedBy` says which check found it (verify, attribution...).
 */
export function recordMismatchFindings(db: Db, actor: string, problems: readonly RecordProblem[], detectedBy: string): number {
  const open = new Set(openRecordFindings(db).map((f) => {
    const d = JSON.parse(f.details) as Record<string, unknown>;
    return identity(d['record'], d['key'], d['problem']);
  }));
  const now = utcNow();
  let added = 0;
  for (const p of problems) {
    if (open.has(identity(p.kind, p.key, p.problem))) continue;
    const details = { record: p.kind, key: p.key, problem: p.problem, message: p.message, detectedBy, ...(p.seq > 0 ? { auditEntry: p.seq } : {}) };
    db.prepare("INSERT INTO findings (item_id, kind, detected_utc, details) VALUES (?, 'record_mismatch', ?, ?)").run(itemOf(db, p), now, JSON.stringify(details));
    appendAudit(db, actor, 'integrity.record_mismatch', details);
    open.add(identity(p.kind, p.key, p.problem));
    added++;
  }
  return added;
}

/** Resolves the open record findings of the case's own records that a full check no longer finds; call inside a transaction. */
export function resolveRecordFindings(db: Db, actor: string, problems: readonly RecordProblem[], kinds: ReadonlySet<string>): void {
  const still = new Set(problems.map((p) => identity(p.kind, p.key, p.problem)));
  const now = utcNow();
  for (const f of openRecordFindings(db)) {
    const d = JSON.parse(f.details) as Record<string, unknown>;
    if (!kinds.has(String(d['record'])) || still.has(identity(d['record'], d['key'], d['problem']))) continue;
    db.prepare('UPDATE findings SET resolved_utc = ? WHERE id = ?').run(now, f.id);
    appendAudit(db, actor, 'integrity.record_resolved', { findingId: f.id, record: d['record'], key: d['key'] });
  }
}
