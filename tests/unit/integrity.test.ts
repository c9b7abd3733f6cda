import assert from 'node:assert/strict';
import fs from 'node:fs';
import test, { type TestContext } from 'node:test';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { getEvidenceDetail, listFindings, readCaseSummary } from '../../src-engine/cases/case-database.ts';
import type { CaseHandle } from '../../src-engine/cases/library.ts';
import { verifyEvidence } from '../../src-engine/integrity/verify-evidence.ts';
import { writeSample } from './helpers/sample-images.ts';
import { sha256OfFile } from './helpers/store-inspection.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { allDetails, createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';

async function caseWithThreeItems(t: TestContext): Promise<{ handle: CaseHandle }> {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-integrity');
  await Promise.all([writeSample.png(dir), writeSample.jpeg(dir), writeSample.text(dir)]);
  await importFiles(handle, [dir]);
  return { handle };
}

const verify = (handle: CaseHandle) => verifyEvidence(handle, { actor: TEST_ACTOR });

function integrityResults(handle: CaseHandle, itemId: number): unknown[] {
  return getEvidenceDetail(handle.db, itemId)!.custody.filter((c) => c.action === 'integrity_verified').map((c) => c.details.result);
}

/** Edits a stored copy the way someone with file access would: make it writable, change a byte. */
function flipOneByte(file: string): void {
  fs.chmodSync(file, 0o644);
  const bytes = fs.readFileSync(file);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0xff;
  fs.writeFileSync(file, bytes);
  fs.chmodSync(file, 0o444);
}

function restore(file: string, original: Buffer): void {
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, original, { mode: 0o444 });
}

test('a clean case verifies every item, each with an integrity_verified custody event', async (t) => {
  const { handle } = await caseWithThreeItems(t);

  const result = await verify(handle);

  assert.deepEqual(result.counts, { verified: 3, mismatched: 0, missing: 0 });
  assert.equal(result.cancelled, false);
  assert.deepEqual(listFindings(handle.db), []);
  for (const item of allDetails(handle)) assert.deepEqual(integrityResults(handle, item.id), ['match']);
  const last = handle.db.prepare('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; details: string };
  assert.equal(last.action, 'integrity.verified');
  assert.deepEqual(JSON.parse(last.details), { verified: 3, mismatched: 0, missing: 0, total: 3 });
});

test('a changed byte is a persistent hash_mismatch finding, resolved but kept once the bytes are restored', async (t) => {
  const { handle } = await caseWithThreeItems(t);
  const [item] = allDetails(handle);
  const file = handle.store.evidencePath(item!.sha256);
  const original = fs.readFileSync(file);
  flipOneByte(file);

  const first = await verify(handle);

  assert.deepEqual(first.counts, { verified: 2, mismatched: 1, missing: 0 });
  const [finding] = listFindings(handle.db);
  assert.equal(finding?.kind, 'hash_mismatch');
  assert.equal(finding?.itemId, item!.id);
  assert.equal(finding?.resolvedUtc, null);
  assert.equal(finding?.details.expectedSha256, item!.sha256);
  assert.equal(finding?.details.actualSha256, sha256OfFile(file));
  assert.equal(readCaseSummary(handle.db).openFindings, 1);
  assert.equal(getEvidenceDetail(handle.db, item!.id)!.openFindings, 1);

  await verify(handle);
  assert.equal(listFindings(handle.db).length, 1, 'checking again does not repeat an open finding');

  restore(file, original);
  const after = await verify(handle);

  assert.deepEqual(after.counts, { verified: 3, mismatched: 0, missing: 0 });
  const [resolved] = listFindings(handle.db);
  assert.equal(resolved?.id, finding?.id, 'the finding stays on record');
  assert.ok(resolved?.resolvedUtc, 'and is marked resolved');
  assert.equal(readCaseSummary(handle.db).openFindings, 0);
  assert.deepEqual(integrityResults(handle, item!.id), ['mismatch', 'mismatch', 'match']);
  assert.equal(verifyAuditChain(handle.db).ok, true);
});

test('a deleted stored file is a missing_file finding, resolved once the file is back', async (t) => {
  const { handle } = await caseWithThreeItems(t);
  const item = allDetails(handle)[1]!;
  const file = handle.store.evidencePath(item.sha256);
  const original = fs.readFileSync(file);
  fs.rmSync(file);

  const first = await verify(handle);

  assert.deepEqual(first.counts, { verified: 2, mismatched: 0, missing: 1 });
  const [finding] = listFindings(handle.db);
  assert.equal(finding?.kind, 'missing_file');
  assert.equal(finding?.itemId, item.id);
  assert.equal(finding?.details.expectedSha256, item.sha256);
  const audit = handle.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'integrity.missing_file'").get() as { n: number };
  assert.equal(audit.n, 1);

  restore(file, original);
  await verify(handle);
  assert.ok(listFindings(handle.db)[0]?.resolvedUtc);
  assert.deepEqual(integrityResults(handle, item.id), ['missing', 'match']);
});

test('a cancelled verification is recorded as cancelled', async (t) => {
  const { handle } = await caseWithThreeItems(t);
  const controller = new AbortController();
  controller.abort();

  const result = await verifyEvidence(handle, { actor: TEST_ACTOR, signal: controller.signal });

  assert.equal(result.cancelled, true);
  assert.equal(result.done, 0);
  const last = handle.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string };
  assert.equal(last.action, 'integrity.verify_cancelled');
});
