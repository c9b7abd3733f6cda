// Report files are re-verified against their recorded hashes on download and by verify; a changed
// or missing report file is a finding (of no item, naming the report) until a clean check.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { ReportRecord } from '../../src-engine/api/contract.ts';
import { CaseIntegrityError } from '../../src-engine/cases/case-paths.ts';
import { verifyEvidence } from '../../src-engine/integrity/verify-evidence.ts';
import { readReportFile, recordReport, reportBaseName } from '../../src-engine/report/report-store.ts';
import { utcNow } from '../../src-engine/time.ts';
import { createTestCase, TEST_ACTOR } from './helpers/test-case.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('a changed report file is refused on download and becomes a finding in verify', async (t) => {
  const { handle } = createTestCase(t);
  const pdf = new TextEncoder().encode('%PDF-1.7 not really a report\n');
  const json = new TextEncoder().encode('{"report":true}\n');
  const id = randomUUID();
  const createdUtc = utcNow();
  const base = reportBaseName(createdUtc, id);
  const record: ReportRecord = {
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
  };
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
