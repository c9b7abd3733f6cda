// Report files are records too: verify re-hashes each report's PDF and JSON bundle against the
// hashes recorded with it, reading them only where the engine writes reports (report-store.ts).
// A problem becomes a finding of no item (details name the report), resolved by a later clean check.
import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import { CaseIntegrityError, readConfinedFile } from '../cases/case-paths.ts';
import type { CaseHandle } from '../cases/library.ts';
import { reportFilePath } from '../cases/report-paths.ts';
import { utcNow } from '../base/time.ts';

interface ReportFileRow {
  id: string;
  created_utc: string;
  pdf_path: string;
  pdf_sha256: string;
  json_path: string;
  json_sha256: string;
}

export interface ReportProblem {
  reportId: string;
  file: 'pdf' | 'json';
  kind: 'hash_mismatch' | 'missing_file';
  message: string;
}

function checkFile(handle: CaseHandle, row: ReportFileRow, file: 'pdf' | 'json'): ReportProblem | null {
  const problem = (kind: ReportProblem['kind'], message: string): ReportProblem => ({ reportId: row.id, file, kind, message });
  let bytes: Buffer;
  try {
    bytes = readConfinedFile(handle.dir, reportFilePath(handle.dir, row, file));
  } catch (error) {
    if (error instanceof CaseIntegrityError) return problem('missing_file', error.message);
    return problem('missing_file', `the ${file.toUpperCase()} of report ${row.id} cannot be read: ${(error as Error).message}`);
  }
  const expected = file === 'pdf' ? row.pdf_sha256 : row.json_sha256;
  const actual = createHash('sha256').update(bytes).digest('hex');
  return actual === expected ? null : problem('hash_mismatch', `the ${file.toUpperCase()} of report ${row.id} no longer matches its recorded sha256 (${expected}, now ${actual})`);
}

/** Checks every report of the case, records new problems as findings and resolves fixed ones. */
export function verifyReportFiles(handle: CaseHandle, actor: string): { checked: number; problems: ReportProblem[] } {
  const { db } = handle;
  const rows = db.prepare('SELECT id, created_utc, pdf_path, pdf_sha256, json_path, json_sha256 FROM reports ORDER BY created_utc, id').all() as ReportFileRow[];
  const problems: ReportProblem[] = [];
  const openFor = db.prepare(
    "SELECT id, kind FROM findings WHERE item_id IS NULL AND resolved_utc IS NULL AND json_extract(details, '$.reportId') = ? AND json_extract(details, '$.file') = ?",
  );
  for (const row of rows) {
    for (const file of ['pdf', 'json'] as const) {
      const found = checkFile(handle, row, file);
      const open = openFor.all(row.id, file) as Array<{ id: number; kind: string }>;
      const now = utcNow();
      db.transaction(() => {
        if (!found) {
          for (const f of open) db.prepare('UPDATE findings SET resolved_utc = ? WHERE id = ?').run(now, f.id);
          if (open.length > 0) appendAudit(db, actor, 'integrity.findings_resolved', { reportId: row.id, file, findings: open.map((f) => f.id) });
          return;
        }
        problems.push(found);
        if (open.some((f) => f.kind === found.kind)) return;
        const details = { reportId: found.reportId, file: found.file, message: found.message };
        db.prepare('INSERT INTO findings (item_id, kind, detected_utc, details) VALUES (NULL, ?, ?, ?)').run(found.kind, now, JSON.stringify(details));
        appendAudit(db, actor, `integrity.report_${found.kind}`, details);
      })();
    }
  }
  return { checked: rows.length, problems };
}
