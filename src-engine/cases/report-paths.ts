// Where a case keeps its reports, derived from each report's id and time: the one place that
// names report files, so a path in the case database is checked against it, never trusted.
import path from 'node:path';
import { CaseIntegrityError, confinedCasePath } from './case-paths.ts';

const REPORTS_DIR = 'reports';

/** "reports/20250301T101500Z-<id>": sortable by time, unique by id. */
export function reportBaseName(createdUtc: string, id: string): string {
  const stamp = createdUtc.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return path.posix.join(REPORTS_DIR, `${stamp}-${id}`);
}

const REPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REPORT_FILE = /^reports\/\d{8}T\d{6}Z-[0-9a-f-]{36}\.(pdf|json)$/;

/**
 * Where a report's file lies, derived from the report's id and time as recordReport names it; the
 * row's path column must say the same, or the row was not written by the engine.
 */
export function reportFilePath(caseDir: string, row: { id: string; created_utc: string; pdf_path: string; json_path: string }, kind: 'pdf' | 'json'): string {
  const relative = REPORT_ID.test(row.id) ? `${reportBaseName(String(row.created_utc), row.id)}.${kind}` : '';
  if (!REPORT_FILE.test(relative)) throw new CaseIntegrityError(`report ${JSON.stringify(String(row.id).slice(0, 80))} has no well-formed id and time; the case database has been altered`);
  const recorded = kind === 'pdf' ? row.pdf_path : row.json_path;
  if (recorded !== relative) {
    throw new CaseIntegrityError(`the ${kind.toUpperCase()} of report ${row.id} is recorded at ${JSON.stringify(String(recorded).slice(0, 120))}, not at ${relative}; the case database has been altered`);
  }
  return confinedCasePath(caseDir, relative);
}
