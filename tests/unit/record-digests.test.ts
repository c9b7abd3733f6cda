// Record digests (db/record-digests.ts): every record a case or the gallery keeps is covered by its
// chain, so each attack of the tampering campaign (a fingerprint edited, two gallery fingerprints
// swapped, a custody event edited or deleted, a finding resolved or deleted, evidence metadata
// edited, a row inserted) is named by audit verify, verify and gallery verify, and attribution
// refuses a fingerprint that no longer matches. Records from before the scheme are not covered.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { refuseTampered } from '../../src-engine/attribution/tamper-refusal.ts';
import { addNote } from '../../src-engine/cases/case-notes.ts';
import { updateStatement } from '../../src-engine/cases/examiner-statement.ts';
import { bookmarkItems } from '../../src-engine/cases/item-bookmarks.ts';
import { tagItems } from '../../src-engine/cases/item-tags.ts';
import { caseMigrations } from '../../src-engine/cases/case-migrations.ts';
import { listFindings } from '../../src-engine/cases/case-database.ts';
import { CaseIntegrityError } from '../../src-engine/cases/case-paths.ts';
import { Library, type CaseHandle } from '../../src-engine/cases/library.ts';
import { openDatabase, type Db } from '../../src-engine/db/open-database.ts';
import { fingerprintChecker, saveRecordedFingerprint } from '../../src-engine/fingerprint/fingerprint-check.ts';
import { embeddingToBlob, loadFingerprint } from '../../src-engine/fingerprint/fingerprint-store.ts';
import { appendHistory, verifyGallery } from '../../src-engine/gallery/gallery-history.ts';
import { galleryFingerprintProblems } from '../../src-engine/gallery/gallery-records.ts';
import { addReferenceEmbedding, addReferenceImage, GALLERY_DB, insertModel, openGalleryDatabase, refreshFingerprint } from '../../src-engine/gallery/gallery-store.ts';
import { verifyEvidence } from '../../src-engine/integrity/verify-evidence.ts';
import { writeSample } from './helpers/sample-images.ts';
import { openAsTamperer } from './helpers/tamper.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';
import Database from 'better-sqlite3';

const MODEL = { sha256: 'cd'.repeat(32), name: 'test-extractor' };

async function fingerprintedCase(t: TestContext): Promise<{ handle: CaseHandle; ids: number[] }> {
  const dir = makeTempDir(t, 'modelprint-records');
  const files = await Promise.all([0, 1, 2].map((i) => writeSample.png(dir, `r${i}.png`, i)));
  const { handle } = createTestCase(t);
  await importFiles(handle, files);
  const ids = (handle.db.prepare('SELECT id FROM evidence_items ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
  for (const itemId of ids) {
    const embedding = Float32Array.from({ length: 16 }, (_, i) => Math.cos(i * (itemId + 1)));
    handle.db.transaction(() => saveRecordedFingerprint(handle.db, { itemId, modelSha256: MODEL.sha256, modelName: MODEL.name, embedding, crops: 9, provider: 'cpu', computedUtc: '2026-01-01T00:00:00.000Z' }, TEST_ACTOR))();
  }
  addNote(handle.db, TEST_ACTOR, ids[0]!, 'Seen on the seized laptop.');
  return { handle, ids };
}

function tamper(handle: CaseHandle, sql: string, ...params: unknown[]): void {
  const db = openAsTamperer(handle.dir);
  db.prepare(sql).run(...params);
  db.close();
}

/** What audit verify names: the breaks in the chain, then the records that no longer match it. */
function problems(handle: CaseHandle): Array<[string, string]> {
  const check = verifyAuditChain(handle.db);
  return [...check.problems, ...check.records.problems].map((p) => [p.problem, p.message]);
}

test('an untouched case: every record matches the chain, none is left uncovered', async (t) => {
  const { handle } = await fingerprintedCase(t);
  const outcome = await verifyEvidence(handle, { actor: TEST_ACTOR });
  const audit = verifyAuditChain(handle.db);
  assert.equal(audit.ok, true, JSON.stringify(audit.problems));
  assert.deepEqual(outcome.records?.problems, []);
  assert.equal(audit.records.notCovered, 0);
  // 3 items, 3 fingerprints, 1 note, and their custody events (received, fingerprinted, note, verified).
  const rows = ['evidence_items', 'fingerprints', 'notes', 'custody_events'].reduce((n, table) => n + (handle.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 0);
  assert.equal(audit.records.covered, rows);
});

test('a fingerprint edited in the case database is named by audit verify and verify, and refused for attribution with a finding', async (t) => {
  const { handle, ids } = await fingerprintedCase(t);
  // The embedding of item 2 replaced by item 1's: attribution would now score item 1's image.
  const other = handle.db.prepare('SELECT embedding FROM fingerprints WHERE item_id = ?').get(ids[0]) as { embedding: Buffer };
  tamper(handle, 'UPDATE fingerprints SET embedding = ? WHERE item_id = ?', other.embedding, ids[1]);
  assert.deepEqual(problems(handle).map(([p]) => p), ['record_changed']);
  assert.match(problems(handle)[0]![1], new RegExp(`the fingerprint of item ${ids[1]} \\(extractor cdcdcdcd`));

  // Attribution checks it before scoring: refused, with a finding of the attribution.
  const check = fingerprintChecker(handle.db);
  const problem = check(loadFingerprint(handle.db, ids[1]!, MODEL.sha256)!);
  assert.equal(problem?.problem, 'record_changed');
  assert.equal(check(loadFingerprint(handle.db, ids[0]!, MODEL.sha256)!), null);
  assert.throws(() => refuseTampered(handle, TEST_ACTOR, [problem!], 'attribution'), (error: Error) => error instanceof CaseIntegrityError && /The attribution was refused because a fingerprint it would use has been altered/.test(error.message));
  assert.deepEqual(listFindings(handle.db).filter((f) => f.details['detectedBy'] === 'attribution').map((f) => f.itemId), [ids[1]]);

  // verify names it too, without a second finding for the same problem.

  const outcome = await verifyEvidence(handle, { actor: TEST_ACTOR });
  assert.equal(outcome.records?.problems.length, 1);
  const finding = listFindings(handle.db).filter((f) => f.kind === 'record_mismatch');
  assert.deepEqual(finding.map((f) => [f.itemId, f.details['record'], f.details['problem'], f.resolvedUtc]), [[ids[1], 'fingerprint', 'record_changed', null]], 'the open finding is not repeated');
  await verifyEvidence(handle, { actor: TEST_ACTOR });
  assert.equal(listFindings(handle.db).filter((f) => f.kind === 'record_mismatch').length, 1, 'one finding, not one per check');

  // Restored: a clean check resolves the verify finding, which stays on record.
  tamper(handle, 'UPDATE fingerprints SET embedding = ? WHERE item_id = ?', embeddingToBlob(Float32Array.from({ length: 16 }, (_, i) => Math.cos(i * (ids[1]! + 1)))), ids[1]);
  assert.deepEqual(problems(handle), []);
  await verifyEvidence(handle, { actor: TEST_ACTOR });
  assert.equal(listFindings(handle.db).filter((f) => f.kind === 'record_mismatch' && f.resolvedUtc === null).length, 0);
  assert.equal(verifyAuditChain(handle.db).ok, true);
});

test('custody events edited or deleted, and findings resolved or deleted, are named', async (t) => {
  const { handle, ids } = await fingerprintedCase(t);
  const custody = handle.db.prepare("SELECT id FROM custody_events WHERE action = 'fingerprinted' ORDER BY id").all() as Array<{ id: number }>;
  tamper(handle, "UPDATE custody_events SET actor = 'someone else' WHERE id = ?", custody[0]!.id);
  tamper(handle, 'DELETE FROM custody_events WHERE id = ?', custody[1]!.id);
  assert.deepEqual(problems(handle), [
    ['record_changed', `custody event ${custody[0]!.id} no longer matches the digest recorded at entry ${auditSeqOf(handle.db, 'custody', custody[0]!.id)}: it was changed outside the application`],
    ['record_deleted', `custody event ${custody[1]!.id}, recorded at entry ${auditSeqOf(handle.db, 'custody', custody[1]!.id)}, is gone: it was deleted outside the application`],
  ]);

  // A finding made by verify (a changed stored copy), then resolved by hand, another deleted.
  const { handle: second } = await fingerprintedCase(t);
  const stored = second.store.evidencePath((second.db.prepare('SELECT sha256 FROM evidence_items WHERE id = ?').get(ids[0]) as { sha256: string }).sha256);
  fs.chmodSync(stored, 0o644);
  fs.appendFileSync(stored, 'x');
  await verifyEvidence(second, { actor: TEST_ACTOR });
  fs.rmSync(second.store.evidencePath((second.db.prepare('SELECT sha256 FROM evidence_items WHERE id = ?').get(ids[1]) as { sha256: string }).sha256));
  await verifyEvidence(second, { actor: TEST_ACTOR });
  const findings = listFindings(second.db);
  assert.deepEqual(findings.map((f) => f.kind), ['hash_mismatch', 'missing_file']);
  tamper(second, 'UPDATE findings SET resolved_utc = ? WHERE id = ?', '2026-01-02T00:00:00.000Z', findings[0]!.id);
  tamper(second, 'DELETE FROM findings WHERE id = ?', findings[1]!.id);
  assert.deepEqual(problems(second).map(([p, m]) => [p, m.split(' no longer')[0]!.split(',')[0]]), [
    ['record_changed', `finding ${findings[0]!.id}`],
    ['record_deleted', `finding ${findings[1]!.id}`],
  ]);
});

test("tags, bookmarks and the examiner's statement changed behind the application's back are named", async (t) => {
  const { handle, ids } = await fingerprintedCase(t);
  tagItems(handle.db, TEST_ACTOR, [ids[0]!, ids[1]!], 'suspicious', false);
  bookmarkItems(handle.db, TEST_ACTOR, [ids[2]!], 'the key exhibit', false);
  updateStatement(handle.db, TEST_ACTOR, { conclusions: 'Item 3 was made by an SDXL fine-tune.' });
  assert.deepEqual(problems(handle), []);
  assert.equal(verifyAuditChain(handle.db).records.notCovered, 0);
  tamper(handle, "UPDATE item_tags SET tag = 'cleared' WHERE item_id = ?", ids[0]);
  tamper(handle, 'DELETE FROM bookmarks WHERE item_id = ?', ids[2]);
  tamper(handle, "UPDATE examiner_statement SET conclusions = 'Nothing was found.'");
  assert.deepEqual(problems(handle).map(([p, m]) => [p, m.split(/ no longer| is in the case|, recorded at/)[0]]), [
    ['record_unrecorded', `the tag "cleared" on item ${ids[0]}`],
    ['record_changed', "the examiner's conclusions, declaration and peer review"],
    ['record_deleted', `the tag "suspicious" on item ${ids[0]}`],
    ['record_deleted', `the bookmark on item ${ids[2]}`],
  ]);
});

function auditSeqOf(db: Db, kind: string, id: number): number {
  const rows = db.prepare('SELECT seq, records FROM audit_log WHERE records IS NOT NULL ORDER BY seq').all() as Array<{ seq: number; records: string }>;
  return rows.filter((r) => (JSON.parse(r.records) as Array<{ kind: string; key: unknown[] }>).some((d) => d.kind === kind && d.key[0] === id)).at(-1)!.seq;
}

test('evidence metadata edited, and rows inserted outside the application, are named', async (t) => {
  const { handle, ids } = await fingerprintedCase(t);
  tamper(handle, "UPDATE evidence_items SET original_name = 'innocent.png' WHERE id = ?", ids[2]);
  tamper(handle, "INSERT INTO custody_events (item_id, at_utc, actor, action, details) VALUES (?, '2026-01-01T00:00:00.000Z', 'x', 'received', '{}')", ids[2]);
  const custodyId = (handle.db.prepare('SELECT max(id) AS id FROM custody_events').get() as { id: number }).id;
  assert.deepEqual(problems(handle).map(([p, m]) => [p, m.split(' ').slice(0, 3).join(' ')]), [
    ['record_changed', `evidence item ${ids[2]}`],
    ['record_unrecorded', `custody event ${custodyId}`],
  ]);
  const outcome = await verifyEvidence(handle, { actor: TEST_ACTOR });
  assert.equal(outcome.records?.problems.length, 2);
  // The inserted event belongs to its item: the finding is on the item.
  assert.deepEqual(listFindings(handle.db).filter((f) => f.kind === 'record_mismatch').map((f) => [f.itemId, f.details['record']]), [[ids[2], 'evidence'], [ids[2], 'custody']]);
});

test('a case made before record digests: its records are not covered rather than tampered; later ones are covered', (t) => {
  const home = makeTempDir(t, 'modelprint-records-legacy');
  const id = randomUUID();
  const dir = path.join(home, 'cases', id);
  fs.mkdirSync(dir, { recursive: true });
  const old = openDatabase(path.join(dir, 'case.sqlite'), caseMigrations.filter((m) => m.version <= 8));
  old.prepare("INSERT INTO case_info (id, case_uuid, number, title, examiner, status, created_utc, modified_utc) VALUES (1, ?, 'OLD-1', 'Old', 'x', 'open', 'now', 'now')").run(id);
  old.prepare(
    `INSERT INTO evidence_items (sha256, md5, size_bytes, original_name, original_path, received_utc, received_by, extension, extension_matches, status, reason_code, reason)
     VALUES (?, ?, 1, 'a.png', '/a.png', 'now', 'x', 'png', 1, 'not_analysable', 'unsupported', 'test')`,
  ).run('e'.repeat(64), 'f'.repeat(32));
  old.prepare("INSERT INTO custody_events (item_id, at_utc, actor, action) VALUES (1, 'now', 'x', 'received')").run();
  old.close();

  const library = new Library(home);
  t.after(() => library.close());
  const handle = library.openCase(id);
  const before = verifyAuditChain(handle.db);
  assert.deepEqual([before.ok, before.records], [true, { covered: 0, notCovered: 2, problems: [] }]);
  addNote(handle.db, TEST_ACTOR, 1, 'Added after the upgrade.');
  assert.deepEqual(verifyAuditChain(handle.db).records, { covered: 2, notCovered: 2, problems: [] }, 'the note and its custody event are covered');

  // A row slipped in with a rowid from before the upgrade still shows: more old rows than there were.
  tamper(handle, "INSERT INTO custody_events (id, item_id, at_utc, actor, action) VALUES (0, 1, 'now', 'x', 'received')");
  assert.deepEqual(problems(handle).map(([p]) => p), ['record_unrecorded']);
  assert.match(problems(handle)[0]![1], /2 custody_events rows predate record digests, but only 1 existed/);
});

function unit(seed: number): Float32Array {
  const v = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i + seed));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

test('two gallery fingerprints swapped: gallery verify names both, and attribution would refuse them', (t) => {
  let db: Db | undefined;
  const home = makeTempDir(t, 'modelprint-records-gallery', () => void db?.close());
  db = openGalleryDatabase(home);
  const gallery = db;
  const extractor = 'a'.repeat(64);
  gallery.transaction(() => {
    for (const [n, name] of ['alpha', 'beta', 'gamma'].entries()) {
      const modelId = insertModel(gallery, name, { family: name }, null);
      addReferenceEmbedding(gallery, addReferenceImage(gallery, modelId, String(n).repeat(64), `${name}.png`), extractor, unit(n));
      refreshFingerprint(gallery, modelId, extractor);
    }
    appendHistory(gallery, TEST_ACTOR, 'model.enrolled', { models: 3 });
  })();
  assert.deepEqual([verifyGallery(gallery).ok, verifyGallery(gallery).records], [true, { covered: 9, notCovered: 0, problems: [] }]);
  assert.deepEqual(galleryFingerprintProblems(gallery, extractor), []);

  const tamperer = new Database(path.join(home, GALLERY_DB));
  const rows = tamperer.prepare('SELECT model_id, embedding FROM fingerprints ORDER BY model_id').all() as Array<{ model_id: number; embedding: Buffer }>;
  tamperer.prepare('UPDATE fingerprints SET embedding = ? WHERE model_id = ?').run(rows[1]!.embedding, rows[0]!.model_id);
  tamperer.prepare('UPDATE fingerprints SET embedding = ? WHERE model_id = ?').run(rows[0]!.embedding, rows[1]!.model_id);
  tamperer.close();

  const check = verifyGallery(gallery);
  assert.equal(check.ok, false);
  assert.deepEqual(check.problems, [], 'the history itself is intact');
  assert.deepEqual(check.records.problems.map((p) => p.problem), ['record_changed', 'record_changed']);
  assert.deepEqual(galleryFingerprintProblems(gallery, extractor).map((p) => p.message.split(' no longer')[0]), ['the gallery fingerprint of alpha', 'the gallery fingerprint of beta']);
});
