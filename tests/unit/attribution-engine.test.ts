// Attribution through the engine's API on a real case: the real generators' fixture images (which
// ARE the bundled default gallery's reference images, so every one must be flagged as overlapping),
// one image no gallery model holds and one file that is not an image, against the bundled default
// gallery, with a calibration fitted on synthetic scores for the installed extractor (so the test
// depends on no measured figure). Also the case schema's attributions table and its triggers.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import type { ApiMethod, ApiOutputs, AttributionRecord, JobStatus } from '../../src-engine/api/contract.ts';
import { dispatch } from '../../src-engine/api/dispatch.ts';
import type { Engine } from '../../src-engine/api/engine-types.ts';
import { ApiError } from '../../src-engine/api/errors.ts';
import { resultSha256 } from '../../src-engine/attribution/attribution-store.ts';
import { Library } from '../../src-engine/cases/library.ts';
import { caseMigrations } from '../../src-engine/cases/case-migrations.ts';
import { openDatabase } from '../../src-engine/db/open-database.ts';
import { createEngine } from '../../src-engine/engine.ts';
import { locateDefaultPack } from '../../src-engine/gallery/default-gallery.ts';
import { readVerifiedPack } from '../../src-engine/gallery/gallery-pack.ts';
import { loadModel } from '../../src-engine/models/model-registry.ts';
import { SET_ENCODER_NAME } from '../../src-engine/set-fingerprint/set-encoder.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { writeSample } from './helpers/sample-images.ts';
import { writeTestCalibration } from './helpers/test-calibration.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';

type Call = <M extends ApiMethod>(method: M, input: unknown) => Promise<ApiOutputs[M]>;
type AttributionJob = Extract<JobStatus, { kind: 'attribution' }>;

const model = installedModel();
const { pack } = readVerifiedPack(locateDefaultPack()!);
/** Which bundled gallery model holds each reference image, and how many images each model has. */
const referenceOf = new Map(pack.models.flatMap((m) => m.images.map((image) => [image.sha256, m.name] as const)));
const imagesOf = new Map(pack.models.map((m) => [m.name, m.images.length]));

async function finished(call: Call, job: JobStatus): Promise<JobStatus> {
  for (;;) {
    const last = (await call('listJobs', {})).find((j) => j.id === job.id);
    if (last && last.state !== 'running') return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Points the engine at `file` as the calibration while the test runs. */
function useCalibration(t: TestContext, file: string): void {
  const before = process.env.MODELPRINT_CALIBRATION;
  process.env.MODELPRINT_CALIBRATION = file;
  t.after(() => {
    if (before === undefined) delete process.env.MODELPRINT_CALIBRATION;
    else process.env.MODELPRINT_CALIBRATION = before;
  });
}

/** A case of the fixture images; `withDeepSets` calibrates DeepSets for the installed set encoder too. */
async function caseOfFixtures(t: TestContext, withDeepSets = false): Promise<{ call: Call; caseId: string; home: string }> {
  let engine: Engine | undefined;
  const home = makeTempDir(t, 'modelprint-attribution', () => engine?.close());
  useCalibration(t, path.join(home, 'calibration.json'));
  const setEncoder = withDeepSets ? loadModel(path.dirname(model.onnxPath), SET_ENCODER_NAME) : null;
  writeTestCalibration(path.join(home, 'calibration.json'), { name: model.name, sha256: model.sha256 }, setEncoder && { name: setEncoder.name, sha256: setEncoder.sha256 });
  engine = createEngine({ home, host: 'browser', actor: TEST_ACTOR, modelsDir: path.dirname(model.onnxPath) });
  const { handlers } = engine;
  const call = ((method, input) => dispatch(handlers, method, input)) as Call;
  const { id: caseId } = await call('createCase', { number: 'ATT-1', title: 'Attribution', examiner: TEST_ACTOR });
  const extra = path.join(home, 'extra');
  fs.mkdirSync(extra);
  await writeNoisePng(extra, 'unknown-noise.png', 256, 256, 9);
  await writeSample.text(extra);
  const imported = await finished(call, await call('startImport', { caseId, paths: [generatedFixturesDir, extra] }));
  assert.equal(imported.state, 'done');
  return { call, caseId, home };
}

async function attribute(call: Call, input: Record<string, unknown>): Promise<{ job: AttributionJob; record: AttributionRecord }> {
  const job = (await finished(call, await call('startAttribution', input))) as AttributionJob;
  assert.equal(job.state, 'done', job.error ?? undefined);
  const record = (await call('listAttributions', { caseId: input.caseId }))[0]!;
  assert.equal(record.id, job.attributionId);
  return { job, record };
}

test('attributing a case fingerprints what is missing, ranks the default gallery with calibrated LRs, flags weak references and reference overlap, and records it', async (t) => {
  const { call, caseId } = await caseOfFixtures(t);
  const calibration = await call('getCalibration', {});
  assert.equal(calibration.extractor.sha256, model.sha256);
  assert.deepEqual([...new Set(calibration.entries.map((e) => `${e.pooling}/${e.bagSize}`))], ['single/1', 'mean/5', 'mean/10', 'mean/50']);
  assert.equal(calibration.deepsets.usable, false);

  const evidence = (await call('listEvidence', { caseId })).items;
  assert.ok(evidence.every((item) => !item.fingerprinted), 'nothing is fingerprinted before the run');
  const { job, record } = await attribute(call, { caseId, top: 3 });
  assert.equal(job.phase, 'attribute');
  assert.ok((await call('listEvidence', { caseId })).items.every((item) => item.fingerprinted === (item.status === 'analysable')));

  const analysable = evidence.filter((item) => item.status === 'analysable');
  assert.equal(record.mode, 'items');
  assert.equal(record.set, null);
  assert.equal(record.items.length, analysable.length);
  assert.deepEqual(record.skipped.map((s) => s.originalName), ['notes.jpg']);
  assert.equal(record.extractor.sha256, model.sha256);
  assert.equal(record.calibration.id, calibration.id);
  assert.equal(record.calibration.fileSha256, calibration.fileSha256);
  assert.equal(record.gallery.models, pack.models.length);
  assert.deepEqual(record.gallery.weakReferences, pack.models.filter((m) => m.images.length < 10).map((m) => m.name).sort());
  assert.match(record.propositions.population, /Calibration population: 12 synthetic test generators/);
  const used = new Set(record.calibration.entries.map((e) => e.calibrationId));
  const byId = new Map(calibration.entries.map((e) => [e.calibration.id, e]));
  assert.ok([...used].every((id) => byId.get(id)?.pooling === 'single'), 'single images use single-image entries only');

  for (const item of record.items) {
    const sha256 = evidence.find((e) => e.id === item.itemId)!.sha256;
    assert.equal(item.sha256, sha256);
    assert.equal(item.calibrationId, item.candidates[0]!.calibrationId);
    assert.ok(item.candidates.every((c) => used.has(c.calibrationId)), 'every LR names a recorded calibration entry');
    // The entry follows the candidate's reference count: weak references never get a 10-reference entry.
    for (const c of item.candidates) assert.ok(byId.get(c.calibrationId)!.references <= Math.max(1, c.referenceImages));
    assert.match(item.evidenceCondition, /PNG|WebP|JPEG/);
    assert.equal(item.candidates.length, 3);
    assert.deepEqual(item.candidates.map((c) => c.rank), [1, 2, 3]);
    for (const c of item.candidates) {
      assert.ok(Number.isFinite(c.log10Lr) && c.score >= -1 && c.score <= 1);
      assert.equal(c.weakReference, imagesOf.get(c.name)! < 10);
      assert.equal(c.referenceOverlap, referenceOf.get(sha256) === c.name);
    }
    assert.ok(item.candidates.every((c, i) => i === 0 || c.score <= item.candidates[i - 1]!.score), 'scores fall with the rank');
    // Every fixture image is a reference image of its own gallery model: flagged, never silent.
    assert.equal(item.referenceOverlap, referenceOf.get(sha256) ?? null);
    if (item.referenceOverlap) assert.match(item.decision.wording, /not independent evidence/);
    assert.equal(item.decision.candidate, item.candidates[0]!.name);
  }
  assert.equal(record.items.find((i) => i.originalName === 'unknown-noise.png')!.referenceOverlap, null);

  const detail = await call('getEvidence', { caseId, itemId: record.items[0]!.itemId });
  const custody = detail.custody.filter((c) => c.action === 'attributed');
  assert.equal(custody.length, 1);
  assert.equal(custody[0]!.details.attributionId, record.id);
  const audit = (await call('listAudit', { caseId })).filter((a) => a.action === 'attribution.completed');
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.details.resultSha256, resultSha256(record));
  assert.equal(audit[0]!.details.gallerySha256, record.gallery.sha256);
  assert.equal((await call('verifyAudit', { caseId })).ok, true);
});

test('a selection attributed as one set: mean-pooled and DeepSets, with the calibrations its size picks; two sets verified 1:1', async (t) => {
  const { call, caseId } = await caseOfFixtures(t, true);
  const evidence = (await call('listEvidence', { caseId })).items;
  const ofModel = (name: string) => evidence.filter((item) => referenceOf.get(item.sha256) === name).map((item) => item.id);
  const sd15 = ofModel('sd15');
  assert.equal(sd15.length, 3);
  const { record } = await attribute(call, { caseId, itemIds: sd15, mode: 'set', top: 5 });
  const calibration = await call('getCalibration', {});
  const set = record.set!;
  assert.equal(set.size, 3);
  assert.deepEqual(set.itemIds, sd15);
  assert.equal(set.mean.bagSize, 1, 'a set of 3 uses the largest calibrated bag size not above 3');
  const entryOf = (id: string | undefined) => calibration.entries.find((e) => e.calibration.id === id);
  assert.equal(entryOf(set.mean.calibrationId)?.pooling, 'single', 'a mean-pooled set below the smallest bag uses the single-image entries');
  assert.deepEqual([entryOf(set.deepsets?.calibrationId)?.pooling, entryOf(set.deepsets?.calibrationId)?.bagSize], ['deepsets', 1]);
  assert.equal(set.deepsetsNote, null);
  assert.equal(record.setEncoder?.name, SET_ENCODER_NAME);
  assert.deepEqual(set.overlappingItems, sd15);
  assert.equal(set.mean.referenceOverlap, 'sd15');
  assert.match(set.mean.decision.wording, /the set of 3 images/i);
  assert.equal(record.items.length, 3, 'each image is attributed too');

  const sdxl = ofModel('sdxl');
  await assert.rejects(call('verifySets', { caseId, a: sd15, b: sdxl }), (e: ApiError) => e.code === 'invalid_input' && /no fingerprint .* fingerprint the case first/.test(e.message));
  assert.equal((await finished(call, await call('startFingerprint', { caseId, itemIds: sdxl }))).state, 'done');
  const verification = await call('verifySets', { caseId, a: sd15, b: sdxl });
  assert.deepEqual([verification.sizeA, verification.sizeB, verification.bagSize, verification.pooling], [3, 3, 1, 'mean']);
  assert.equal(verification.deepsets?.bagSize, 1);
  assert.ok(Number.isFinite(verification.log10Lr) && verification.score <= 1);
  assert.match(verification.wording, /both sets were made by the same model|two different models/);
  assert.ok(verification.notes.some((n) => /the smaller set \(3\) plays the bag and the larger \(3\) the entry/.test(n)));
  assert.equal((await call('listAudit', { caseId })).filter((a) => a.action === 'sets.verified').length, 1);

  await assert.rejects(call('verifySets', { caseId, a: sd15, b: sd15 }), (e: ApiError) => e.code === 'invalid_input' && /both sets/.test(e.message));
  await assert.rejects(call('startAttribution', { caseId, itemIds: [999] }), (e: ApiError) => e.code === 'invalid_input');
  await assert.rejects(call('startAttribution', { caseId, mode: 'pairs' }), (e: ApiError) => e.code === 'invalid_input');
});

test('a fingerprint edited in the case, or two gallery fingerprints swapped, refuses the attribution with a finding', async (t) => {
  const { call, caseId, home } = await caseOfFixtures(t);
  const itemIds = (await call('listEvidence', { caseId })).items.filter((i) => i.status === 'analysable').slice(0, 2).map((i) => i.id);
  await attribute(call, { caseId, itemIds, top: 3 });
  const refused = async (pattern: RegExp) => {
    const job = (await finished(call, await call('startAttribution', { caseId, itemIds, top: 3 }))) as AttributionJob;
    assert.equal(job.state, 'failed');
    assert.match(job.error ?? '', pattern);
  };

  const gallery = new Database(path.join(home, 'gallery.sqlite'));
  const swap = () => {
    const [a, b] = gallery.prepare('SELECT rowid, embedding FROM fingerprints ORDER BY model_id LIMIT 2').all() as Array<{ rowid: number; embedding: Buffer }>;
    gallery.prepare('UPDATE fingerprints SET embedding = ? WHERE rowid = ?').run(b!.embedding, a!.rowid);
    gallery.prepare('UPDATE fingerprints SET embedding = ? WHERE rowid = ?').run(a!.embedding, b!.rowid);
  };
  swap();
  await refused(/The attribution was refused because 2 fingerprints it would use have been altered: the gallery fingerprint of .+ no longer matches/);
  swap();
  gallery.close();

  const caseDb = new Database(path.join(home, 'cases', caseId, 'case.sqlite'));
  caseDb.prepare('UPDATE fingerprints SET crops = crops + 1 WHERE item_id = ?').run(itemIds[1]);
  caseDb.close();
  await refused(new RegExp(`The attribution was refused because a fingerprint it would use has been altered: the fingerprint of item ${itemIds[1]} no longer matches`));

  const findings = (await call('listFindings', { caseId })).filter((f) => f.kind === 'record_mismatch');
  assert.deepEqual(findings.map((f) => [f.itemId, f.details['record'], f.details['detectedBy']]), [
    [null, 'gallery_fingerprint', 'attribution'],
    [null, 'gallery_fingerprint', 'attribution'],
    [itemIds[1], 'fingerprint', 'attribution'],
  ]);
  assert.equal((await call('listAttributions', { caseId })).length, 1, 'no result was recorded for a refused run');
});

test('attribution is refused without a calibration for the installed extractor', async (t) => {
  const { call, caseId, home } = await caseOfFixtures(t);
  const other = path.join(home, 'other-extractor.json');
  writeTestCalibration(other, { name: model.name, sha256: 'f'.repeat(64) });
  process.env.MODELPRINT_CALIBRATION = other;
  await assert.rejects(call('startAttribution', { caseId }), (e: ApiError) => e.code === 'conflict' && /fitted for extractor/.test(e.message));
  await assert.rejects(call('getCalibration', {}), (e: ApiError) => e.code === 'conflict');
  process.env.MODELPRINT_CALIBRATION = path.join(home, 'missing.json');
  await assert.rejects(call('startAttribution', { caseId }), (e: ApiError) => e.code === 'not_found');
  assert.deepEqual(await call('listAttributions', { caseId }), []);
});

test('case schema 5: an existing case gains the attributions table, whose rows cannot be changed or deleted', (t) => {
  const home = makeTempDir(t, 'modelprint-attribution-schema');
  const file = path.join(home, 'case.sqlite');
  openDatabase(file, caseMigrations.filter((m) => m.version <= 4)).close();
  const db = openDatabase(file, caseMigrations);
  t.after(() => db.close());
  assert.ok((db.pragma('user_version', { simple: true }) as number) >= 5);
  const row = {
    id: 'r1',
    created_utc: '2026-01-01T00:00:00.000Z',
    actor: TEST_ACTOR,
    mode: 'items',
    item_ids: '[]',
    extractor_sha256: 'a'.repeat(64),
    set_encoder_sha256: null,
    calibration_id: 'b'.repeat(64),
    gallery_sha256: 'c'.repeat(64),
    result: '{}',
    result_sha256: 'd'.repeat(64),
  };
  const insert = db.prepare(`INSERT INTO attributions VALUES (${Object.keys(row).map((k) => `@${k}`).join(', ')})`);
  insert.run(row);
  assert.throws(() => db.prepare("UPDATE attributions SET result = '{\"x\":1}'").run(), /cannot be changed/);
  assert.throws(() => db.prepare('DELETE FROM attributions').run(), /cannot be deleted/);
  assert.throws(() => insert.run({ ...row, id: 'r2', mode: 'everything' }), /CHECK constraint/);
  assert.throws(() => insert.run({ ...row, id: 'r3', gallery_sha256: 'short' }), /CHECK constraint/);
  // A library opening an existing case brings it up to date too.
  const library = new Library(makeTempDir(t, 'modelprint-attribution-library'));
  t.after(() => library.close());
  const summary = library.createCase({ number: 'S-5', title: 'Schema', examiner: TEST_ACTOR, description: '' }, TEST_ACTOR);
  assert.equal(library.openCase(summary.id).db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'attributions'").pluck().get(), 1);
});
