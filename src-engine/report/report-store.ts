// Keeps each report in its case: the PDF and the JSON bundle under <case>/reports/, read-only,
// a row with both hashes and the audit head it was made at, a 'reported' custody event on every
// item it covers, and an audit entry with both hashes, all in one transaction after the files
// are safely on disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ReportFile, ReportRecord, ReportSection } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { addCustodyEvent } from '../cases/case-database.ts';
import { CaseIntegrityError, readConfinedFile } from '../cases/case-paths.ts';
import { reportFilePath } from '../cases/report-paths.ts';
import type { CaseHandle } from '../cases/library.ts';
import type { Db } from '../db/open-database.ts';

interface ReportRow {
  id: string;
  created_utc: string;
  actor: string;
  pdf_path: string;
  pdf_sha256: string;
  pdf_bytes: number;
  json_path: string;
  json_sha256: string;
  json_bytes: number;
  pages: number;
  options: string;
  findings_digest: string;
  audit_head_seq: number;
  audit_head_hash: string | null;
  integrity_problems: string;
}


/**
 * Writes through a temp file, fsync and rename, then makes the file read-only. The temp file sits
 * beside the target rather than in the case's tmp/, which an import in another process may sweep
 * at any moment (reports are written outside the case's write lock).
 */
function writeReadOnly(handle: CaseHandle, relative: string, bytes: Uint8Array): void {
  const target = path.join(handle.dir, relative);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, target);
  fs.chmodSync(target, 0o444);
}

export interface ReportFiles {
  pdf: Uint8Array;
  json: Uint8Array;
}

/** What the report's audit entry says about hash sets: those consulted (by name and file hash) and the items they listed. */
export interface HashSetAudit {
  consulted: Array<{ name: string; sha256: string }>;
  matchedItems: number[];
}

export function recordReport(handle: CaseHandle, record: ReportRecord, files: ReportFiles, hashSets: HashSetAudit = { consulted: [], matchedItems: [] }): ReportRecord {
  writeReadOnly(handle, record.pdf.path, files.pdf);
  writeReadOnly(handle, record.json.path, files.json);
  const { db } = handle;
  const details = {
    reportId: record.id,
    pdfSha256: record.pdf.sha256,
    jsonSha256: record.json.sha256,
    pdf: record.pdf.path,
    json: record.json.path,
    pages: record.pages,
    findingsDigest: record.findingsDigest,
  };
  db.transaction(() => {
    db.prepare(
      `INSERT INTO reports (id, created_utc, actor, pdf_path, pdf_sha256, pdf_bytes, json_path, json_sha256, json_bytes, pages,
         options, findings_digest, audit_head_seq, audit_head_hash, integrity_problems)
       VALUES (@id, @created_utc, @actor, @pdf_path, @pdf_sha256, @pdf_bytes, @json_path, @json_sha256, @json_bytes, @pages,
         @options, @findings_digest, @audit_head_seq, @audit_head_hash, @integrity_problems)`,
    ).run({
      id: record.id,
      created_utc: record.createdUtc,
      actor: record.actor,
      pdf_path: record.pdf.path,
      pdf_sha256: record.pdf.sha256,
      pdf_bytes: record.pdf.sizeBytes,
      json_path: record.json.path,
      json_sha256: record.json.sha256,
      json_bytes: record.json.sizeBytes,
      pages: record.pages,
      options: JSON.stringify(record.options),
      findings_digest: record.findingsDigest,
      audit_head_seq: record.auditHead.seq,
      audit_head_hash: record.auditHead.hash,
      integrity_problems: JSON.stringify(record.integrityProblems),
    } satisfies ReportRow);
    for (const itemId of record.options.itemIds) addCustodyEvent(db, itemId, record.createdUtc, record.actor, 'reported', details);
    appendAudit(db, record.actor, 'report.generated', { ...details, items: record.options.itemIds, sections: record.options.sections, hashSets });
  })();
  return record;
}

function toRecord(row: ReportRow): ReportRecord {
  const file = (p: string, sha256: string, sizeBytes: number): ReportFile => ({ path: p, sha256, sizeBytes });
  return {
    id: row.id,
    createdUtc: row.created_utc,
    actor: row.actor,
    pdf: file(row.pdf_path, row.pdf_sha256, row.pdf_bytes),
    json: file(row.json_path, row.json_sha256, row.json_bytes),
    pages: row.pages,
    options: JSON.parse(row.options) as { itemIds: number[]; sections: ReportSection[] },
    findingsDigest: row.findings_digest,
    auditHead: { seq: row.audit_head_seq, hash: row.audit_head_hash },
    integrityProblems: JSON.parse(row.integrity_problems) as number[],
  };
}

/** Newest first. */
export function listReports(db: Db): ReportRecord[] {
  return (db.prepare('SELECT * FROM reports ORDER BY created_utc DESC, id').all() as ReportRow[]).map(toRecord);
}


/** A report's file, read from where the engine put it and checked against the hash recorded with it. */
export function readReportFile(handle: CaseHandle, reportId: string, kind: 'pdf' | 'json'): Uint8Array {
  const row = handle.db.prepare('SELECT * FROM reports WHERE id = ?').get(reportId) as ReportRow | undefined;
  if (!row) throw new ApiError('not_found', `no report ${reportId} in this case`);
  const file = reportFilePath(handle.dir, row, kind);
  let bytes: Buffer;
  try {
    bytes = readConfinedFile(handle.dir, file);
  } catch (error) {
    if (error instanceof CaseIntegrityError) throw error;
    throw new ApiError('not_found', `the ${kind.toUpperCase()} of report ${reportId} is missing from the case folder`);
  }
  const expected = kind === 'pdf' ? row.pdf_sha256 : row.json_sha256;
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) throw new CaseIntegrityError(`the ${kind.toUpperCase()} of report ${reportId} no longer matches its recorded sha256 (${expected}, now ${actual})`);
  return new Uint8Array(bytes);
}
