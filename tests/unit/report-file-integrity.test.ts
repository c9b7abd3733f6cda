// Report files are re-verified against their recorded hashes on download and by verify; a changed
// or missing report file is a finding (of no item, naming the report) until a clean check.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { ReportRecord } from '../../src-engine/api/contract.ts';
import { CaseIntegrityError } from '../../src-engine/cases/case-paths.ts';
import { withCaseLock } from '../../src-engine/cases/case-lock.ts';
import { recoverInterruptedWrites } from '../../src-engine/evidence/recovery.ts';
import { verifyEvidence } from '../../src-engine/integrity/verify-evidence.ts';
import { reportBaseName } from '../../src-engine/cases/report-paths.ts';
import { readReportFile, recordReport } from '../../src-engine/report/report-store.ts';
import { utcNow } from '../../src-engine/base/time.ts';
import { createTestCase, TEST_ACTOR } from './helpers/test-case.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function makeRecord(createdUtc = utcNow()): { record: ReportRecord; pdf: Uint8Array; json: Uint8Array } {
  const pdf = new TextEncoder().encode('%PDF-1.7 not really a report\n');
  const json = new TextEncoder().encode('{"report":true}\n');
  const id = randomUUID();
  const base = reportBaseName(createdUtc, id);
  return {
    pdf,
    json,
    record: {
      id,
      createdUtc,
      actor: TEST_ACTOR,
      pdf: { path: `${base}.pdf`, sha256: sha256(pdf), sizeBytes: pdf.byteLength },
      json: { path: `${base}.json`, sha256: sha256(json), sizeBytes: json.byteLength },
      pages: 1,
      options: { itemIds: [], sections: [] },
      findingsDigest: 'd'.repeat(64),
      auditHead: { seq: 1, hash: null },
      integrityProblems: [],
    },
  };
}

test('a changed report file is refused on download and becomes a finding in verify', async (t) => {
  const { handle } = createTestCase(t);
  const { record, pdf, json } = makeRecord();
  const id = record.id;
  recordReport(handle, record, { pdf, json });
  assert.deepEqual(readReportFile(handle, id, 'pdf'), pdf);
  assert.deepEqual((await verifyEvidence(handle, { actor: TEST_ACTOR })).reportProblems, []);

  const file = path.join(handle.dir, record.pdf.path);
  fs.chmodSync(file, 0o644);
  fs.writeFileSync(file, '%PDF-1.7 something else\n');
  assert.throws(() => readReportFile(handle, id, 'pdf'), (error: Error) => error instanceof CaseIntegrityError && /no longer matches its recorded sha256/.test(error.message));
  const outcome = await verifyEvidence(handle, { actor: TEST_ACTOR });
  assert.deepEqual(outcome.reportProblems.map((p) => [p.file, p.kind]), [['pdf', 'hash_mismatch']]);
  const open = () => handle.db.prepare('SELECT item_id, kind, details FROM findings WHERE resolved_utc IS NULL').all() as Array<{ item_id: number | null; kind: string; details: string }>;
  assert.deepEqual(open().map((f) => [f.item_id, f.kind, JSON.parse(f.details).reportId]), [[null, 'hash_mismatch', id]]);
  await verifyEvidence(handle, { actor: TEST_ACTOR });
  assert.equal(open().length, 1, 'one finding, not one per verification');

  fs.rmSync(path.join(handle.dir, record.json.path), { force: true });
  assert.deepEqual((await verifyEvidence(handle, { actor: TEST_ACTOR })).reportProblems.map((p) => [p.file, p.kind]), [['pdf', 'hash_mismatch'], ['json', 'missing_file']]);

  fs.writeFileSync(file, pdf);
  fs.writeFileSync(path.join(handle.dir, record.json.path), json);
  assert.deepEqual((await verifyEvidence(handle, { actor: TEST_ACTOR })).reportProblems, []);
  assert.equal(open().length, 0, 'resolved by a clean check, and kept on record');
  const audit = handle.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'integrity.report_%'").all() as Array<{ action: string }>;
  assert.deepEqual(audit.map((a) => a.action), ['integrity.report_hash_mismatch', 'integrity.report_missing_file']);
});

test('what a killed report left (partial files, files with no row) is swept once stale, and audited', async (t) => {
  const { handle } = createTestCase(t);
  const kept = makeRecord();
  recordReport(handle, kept.record, { pdf: kept.pdf, json: kept.json });
  const dir = path.join(handle.dir, 'reports');
  const orphan = makeRecord('2026-01-01T00:00:00.000Z');
  const orphanPdf = path.join(handle.dir, orphan.record.pdf.path);
  const partial = path.join(dir, `.${path.basename(orphan.record.json.path)}.partial`);
  const fresh = path.join(handle.dir, makeRecord().record.pdf.path);
  for (const file of [orphanPdf, partial, fresh]) fs.writeFileSync(file, 'left behind', { mode: 0o444 });
  const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  for (const file of [orphanPdf, partial, path.join(handle.dir, kept.record.pdf.path)]) fs.utimesSync(file, longAgo, longAgo);

  await withCaseLock(handle.dir, async () => recoverInterruptedWrites(handle, TEST_ACTOR));
  assert.equal(fs.existsSync(orphanPdf), false);
  assert.equal(fs.existsSync(partial), false);
  assert.equal(fs.existsSync(fresh), true, 'a report in progress elsewhere is left alone');
  assert.deepEqual(readReportFile(handle, kept.record.id, 'pdf'), kept.pdf, 'recorded reports are kept, however old');
  const swept = handle.db.prepare("SELECT details FROM audit_log WHERE action = 'recovery.swept'").get() as { details: string };
  assert.deepEqual(JSON.parse(swept.details).reports, { partialFiles: [path.basename(partial)], unrecordedFiles: [path.basename(orphanPdf)] });
});
