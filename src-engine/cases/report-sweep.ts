// What a report killed part-way leaves in <case>/reports/: '.<name>.partial' temp files, and a
// PDF or JSON renamed into place whose row never committed (report-store.ts writes files first,
// then the row). Both are swept by the next write's recovery, and the sweep is audited. Reports
// are written outside the case's write lock, so only files untouched for an hour are taken: a
// report in progress in another process has just written its files.
import fs from 'node:fs';
import path from 'node:path';
import type { CaseHandle } from './library.ts';

export const REPORT_SWEEP_AGE_MS = 60 * 60 * 1000;
const PARTIAL = /^\..+\.partial$/;
const REPORT_FILE = /^\d{8}T\d{6}Z-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(pdf|json)$/;

export interface ReportSweep {
  partialFiles: string[];
  unrecordedFiles: string[];
}

export function sweepUnrecordedReports(handle: CaseHandle, now = Date.now()): ReportSweep {
  const sweep: ReportSweep = { partialFiles: [], unrecordedFiles: [] };
  const dir = path.join(handle.dir, 'reports');
  if (!fs.existsSync(dir)) return sweep;
  const recorded = handle.db.prepare('SELECT 1 FROM reports WHERE id = ?');
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const stats = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile() || now - stats.mtimeMs < REPORT_SWEEP_AGE_MS) continue;
    const id = REPORT_FILE.exec(name)?.[1];
    if (PARTIAL.test(name)) sweep.partialFiles.push(name);
    else if (id !== undefined && recorded.get(id) === undefined) sweep.unrecordedFiles.push(name);
    else continue;
    fs.rmSync(file, { force: true });
  }
  return sweep;
}
