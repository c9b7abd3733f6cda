// Fingerprints are checked before use against the hash recorded when they were saved (in the
// audit chain, with a custody event), so a fingerprint row edited behind the application's back, or
// one slipped in unrecorded, is refused rather than attributed.
import assert from 'node:assert/strict';
import test from 'node:test';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { addCustodyEvent } from '../../src-engine/cases/case-database.ts';
import { CaseIntegrityError } from '../../src-engine/cases/case-paths.ts';
import { assertFingerprintIntact, recordedEmbeddingSha256, saveRecordedFingerprint } from '../../src-engine/fingerprint/fingerprint-check.ts';
import { embeddingSha256, embeddingToBlob, loadFingerprint, saveFingerprint, type StoredFingerprint } from '../../src-engine/fingerprint/fingerprint-store.ts';
import { writeSample } from './helpers/sample-images.ts';
import { openAsTamperer } from './helpers/tamper.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';

const MODEL = { sha256: 'ab'.repeat(32), name: 'test-extractor' };

function fingerprint(itemId: number, seed: number): StoredFingerprint {
  return { itemId, modelSha256: MODEL.sha256, modelName: MODEL.name, embedding: Float32Array.from({ length: 16 }, (_, i) => Math.sin(i + seed)), crops: 9, provider: 'cpu', computedUtc: '2026-01-01T00:00:00.000Z' };
}

test('a saved fingerprint is audited with its hash and checked against it before use', async (t) => {
  const dir = makeTempDir(t, 'modelprint-fp-integrity');
  const files = await Promise.all([0, 1, 2, 3].map((i) => writeSample.png(dir, `f${i}.png`, i)));
  const { handle } = createTestCase(t);
  await importFiles(handle, files);
  const ids = (handle.db.prepare('SELECT id FROM evidence_items ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
  const { db } = handle;

  // Saved the way the fingerprint job saves: row, custody event and audit entry together.
  db.transaction(() => saveRecordedFingerprint(db, fingerprint(ids[0]!, 0), TEST_ACTOR))();
  const audited = db.prepare("SELECT details FROM audit_log WHERE action = 'evidence.fingerprinted'").all() as Array<{ details: string }>;
  assert.deepEqual(audited.map((a) => JSON.parse(a.details)), [{ itemId: ids[0], modelSha256: MODEL.sha256, embeddingSha256: embeddingSha256(fingerprint(ids[0]!, 0).embedding) }]);
  assert.equal(verifyAuditChain(db).ok, true);
  const intact = loadFingerprint(db, ids[0]!, MODEL.sha256)!;
  assert.equal(assertFingerprintIntact(db, intact), intact);

  // Edited behind the application's back.
  db.transaction(() => saveRecordedFingerprint(db, fingerprint(ids[1]!, 1), TEST_ACTOR))();
  const tamperer = openAsTamperer(handle.dir);
  tamperer.prepare('UPDATE fingerprints SET embedding = ? WHERE item_id = ?').run(embeddingToBlob(fingerprint(ids[1]!, 99).embedding), ids[1]);
  tamperer.close();
  assert.throws(() => assertFingerprintIntact(db, loadFingerprint(db, ids[1]!, MODEL.sha256)!), (error: Error) => error instanceof CaseIntegrityError && /no longer matches the hash recorded/.test(error.message));

  // Slipped in without a record.
  saveFingerprint(db, fingerprint(ids[2]!, 2));
  assert.equal(recordedEmbeddingSha256(db, ids[2]!, MODEL.sha256), null);
  assert.throws(() => assertFingerprintIntact(db, loadFingerprint(db, ids[2]!, MODEL.sha256)!), /never recorded/);

  // Saved by an earlier version: the custody event alone carries the hash, and is enough.
  const legacy = fingerprint(ids[3]!, 3);
  db.transaction(() => {
    saveFingerprint(db, legacy);
    addCustodyEvent(db, legacy.itemId, legacy.computedUtc, TEST_ACTOR, 'fingerprinted', { model: MODEL.name, modelSha256: MODEL.sha256, provider: 'cpu', crops: 9, embeddingSha256: embeddingSha256(legacy.embedding) });
  })();
  assert.ok(assertFingerprintIntact(db, loadFingerprint(db, ids[3]!, MODEL.sha256)!));
});
