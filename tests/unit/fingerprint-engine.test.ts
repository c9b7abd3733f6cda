// Fingerprinting through the engine API, as the UI drives it: the job (computed once, reused,
// not-analysable items skipped, cancellation, custody and audit), model info and spectra.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { type TestContext } from 'node:test';
import sharp from 'sharp';
import type { ApiMethod, ApiOutputs, JobStatus } from '../../src-engine/api/contract.ts';
import { dispatch } from '../../src-engine/api/dispatch.ts';
import type { Engine } from '../../src-engine/api/engine-types.ts';
import { ApiError } from '../../src-engine/api/errors.ts';
import { createEngine } from '../../src-engine/engine.ts';
import { blobToEmbedding, embeddingSha256 } from '../../src-engine/fingerprint/fingerprint-store.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';

type Call = <M extends ApiMethod>(method: M, input: unknown) => Promise<ApiOutputs[M]>;
type FingerprintJob = Extract<JobStatus, { kind: 'fingerprint' }>;

const model = installedModel();

async function finished(call: Call, job: JobStatus): Promise<JobStatus> {
  for (;;) {
    const last = (await call('listJobs', {})).find((j) => j.id === job.id);
    if (last && last.state !== 'running') return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function runFingerprint(call: Call, input: { caseId: string; itemIds?: number[] }): Promise<FingerprintJob> {
  const job = await finished(call, await call('startFingerprint', input));
  assert.equal(job.kind, 'fingerprint');
  return job as FingerprintJob;
}

/** An engine with a case holding the given image files plus one text file (not analysable). */
async function caseWith(t: TestContext, write: (dir: string) => Promise<unknown>): Promise<{ engine: Engine; call: Call; caseId: string; caseDir: string }> {
  let engine: Engine | undefined;
  const home = makeTempDir(t, 'modelprint-fp-engine', () => engine?.close());
  engine = createEngine({ home, host: 'browser', actor: TEST_ACTOR, modelsDir: path.dirname(model.onnxPath) });
  const { handlers } = engine;
  const call = ((method, input) => dispatch(handlers, method, input)) as Call;
  const { id: caseId } = await call('createCase', { number: 'FP-1', title: 'Fingerprints', examiner: TEST_ACTOR });
  const dir = makeTempDir(t, 'modelprint-fp-images');
  await write(dir);
  await writeSample.text(dir);
  const imported = await finished(call, await call('startImport', { caseId, paths: [dir] }));
  assert.equal(imported.state, 'done');
  return { engine, call, caseId, caseDir: path.join(home, 'cases', caseId) };
}

const writeThree = async (dir: string) => {
  await writeNoisePng(dir, 'a-300x200.png', 300, 200, 1);
  await writeNoisePng(dir, 'b-100x100.png', 100, 100, 2);
  await writeNoisePng(dir, 'c-129x400.png', 129, 400, 3);
};

test('getModelInfo names the verified model, its card and the provider in use', async (t) => {
  const { call } = await caseWith(t, async () => undefined);
  const info = await call('getModelInfo', {});
  assert.deepEqual([info.name, info.sha256, info.card], [model.name, model.sha256, model.card]);
  assert.ok(info.embeddingDim > 0);
  assert.equal(info.providersTried.at(-1), info.provider);
});

test('fingerprints are computed once per model, reused, recorded in custody and audit; not-analysable items are skipped', async (t) => {
  const { call, caseId } = await caseWith(t, writeThree);
  const first = await runFingerprint(call, { caseId });
  assert.equal(first.state, 'done', first.error ?? undefined);
  assert.deepEqual(first.counts, { computed: 3, reused: 0, skipped: 1, failed: 0 });
  assert.deepEqual([first.total, first.done, first.provider], [4, 4, 'cpu']);

  const page = await call('listEvidence', { caseId });
  const byName = new Map(page.items.map((i) => [i.originalName, i]));
  assert.deepEqual(page.items.map((i) => i.fingerprinted), page.items.map((i) => i.status === 'analysable'));
  const detail = await call('getEvidence', { caseId, itemId: byName.get('a-300x200.png')!.id });
  assert.deepEqual([detail.fingerprint?.modelName, detail.fingerprint?.modelSha256, detail.fingerprint?.provider, detail.fingerprint?.crops], [model.name, model.sha256, 'cpu', 9]);
  const small = await call('getEvidence', { caseId, itemId: byName.get('b-100x100.png')!.id });
  assert.equal(small.fingerprint?.crops, 1);
  const custody = detail.custody.filter((c) => c.action === 'fingerprinted');
  assert.equal(custody.length, 1);
  assert.deepEqual(custody[0]!.details, { model: model.name, modelSha256: model.sha256, provider: 'cpu', crops: 9, embeddingSha256: custody[0]!.details.embeddingSha256 });

  const second = await runFingerprint(call, { caseId });
  assert.deepEqual(second.counts, { computed: 0, reused: 3, skipped: 1, failed: 0 });
  const again = await call('getEvidence', { caseId, itemId: detail.id });
  assert.deepEqual(again.fingerprint, detail.fingerprint, 'the stored fingerprint is kept, not recomputed');
  assert.equal(again.custody.filter((c) => c.action === 'fingerprinted').length, 1);

  const audit = (await call('listAudit', { caseId })).filter((e) => e.action.startsWith('fingerprint.'));
  assert.deepEqual(audit.map((e) => [e.action, e.details.computed, e.details.reused, e.details.provider]), [['fingerprint.completed', 3, 0, 'cpu'], ['fingerprint.completed', 0, 3, 'cpu']]);
  assert.equal((await call('verifyAudit', { caseId })).ok, true);

  const textItem = page.items.find((i) => i.status !== 'analysable')!;
  const only = await runFingerprint(call, { caseId, itemIds: [textItem.id, detail.id] });
  assert.deepEqual(only.counts, { computed: 0, reused: 1, skipped: 1, failed: 0 });
  await assert.rejects(call('startFingerprint', { caseId, itemIds: [999] }), (e) => e instanceof ApiError && e.code === 'invalid_input' && /999/.test(e.message));
});

test('the stored embedding is the unit-length float32 vector whose hash custody recorded', async (t) => {
  const { call, caseId, caseDir } = await caseWith(t, (dir) => writeNoisePng(dir, 'one.png', 200, 200, 4));
  await runFingerprint(call, { caseId });
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(path.join(caseDir, 'case.sqlite'), { readonly: true });
  t.after(() => db.close());
  const row = db.prepare('SELECT item_id, embedding, model_sha256 FROM fingerprints').get() as { item_id: number; embedding: Buffer; model_sha256: string };
  const embedding = blobToEmbedding(row.embedding);
  assert.equal(row.model_sha256, model.sha256);
  assert.ok(Math.abs(Math.hypot(...embedding) - 1) < 1e-5);
  const custody = (await call('getEvidence', { caseId, itemId: row.item_id })).custody.find((c) => c.action === 'fingerprinted')!;
  assert.equal(custody.details.embeddingSha256, embeddingSha256(embedding));
});

test('a stored copy that no longer matches its intake hash is not fingerprinted', async (t) => {
  const { call, caseId, caseDir } = await caseWith(t, (dir) => writeNoisePng(dir, 'one.png', 200, 200, 5));
  const item = (await call('listEvidence', { caseId })).items.find((i) => i.status === 'analysable')!;
  const stored = path.join(caseDir, 'evidence', item.sha256.slice(0, 2), item.sha256);
  fs.chmodSync(stored, 0o644);
  fs.writeFileSync(stored, await sharp(fs.readFileSync(stored)).negate().png().toBuffer());
  const job = await runFingerprint(call, { caseId });
  assert.deepEqual(job.counts, { computed: 0, reused: 0, skipped: 1, failed: 1 });
  assert.match(job.failures[0]!.message, /no longer matches its intake hash/);
  assert.equal((await call('listEvidence', { caseId })).items.some((i) => i.fingerprinted), false);
});

test('a cancelled job keeps what it stored and the next run completes the rest', async (t) => {
  const { call, caseId } = await caseWith(t, async (dir) => {
    for (let i = 0; i < 12; i++) await writeNoisePng(dir, `n-${i}.png`, 400, 400, 10 + i);
  });
  const started = await call('startFingerprint', { caseId });
  await call('cancelJob', { jobId: started.id });
  const cancelled = (await finished(call, started)) as FingerprintJob;
  assert.equal(cancelled.state, 'cancelled');
  assert.ok(cancelled.counts.computed < 12, `computed ${cancelled.counts.computed} before the cancel took effect`);
  const audit = await call('listAudit', { caseId });
  assert.equal(audit.at(-1)?.action, 'fingerprint.cancelled');
  const rest = await runFingerprint(call, { caseId });
  assert.deepEqual(rest.counts, { computed: 12 - cancelled.counts.computed, reused: cancelled.counts.computed, skipped: 1, failed: 0 });
});

test('getSpectra: one item gives its spectrum, radial profile and residual picture; several give the average', async (t) => {
  const { call, caseId } = await caseWith(t, writeThree);
  const items = (await call('listEvidence', { caseId })).items;
  const [a, b] = [items.find((i) => i.originalName === 'a-300x200.png')!, items.find((i) => i.originalName === 'b-100x100.png')!];
  const info = await call('getModelInfo', {});
  const one = await call('getSpectra', { caseId, itemIds: [a.id] });
  assert.deepEqual([one.itemIds, one.crops, one.modelSha256, one.provider], [[a.id], 9, info.sha256, info.provider]);
  assert.equal(one.spectrum2d.size, 128);
  assert.equal(one.spectrum2d.values.length, 128 * 128);
  assert.ok(one.spectrum2d.values.every(Number.isFinite));
  const { frequency, power } = one.radial;
  assert.equal(frequency.length, power.length);
  assert.ok(frequency.length > 30);
  assert.ok(frequency[0] === 0 && frequency.at(-1)! <= 0.5 && frequency.every((f, i) => i === 0 || f > frequency[i - 1]!), 'frequencies rise from 0 to at most 0.5');
  assert.ok(power.every(Number.isFinite));
  const png = await sharp(one.residualPng!).metadata();
  assert.deepEqual([png.format, png.channels, png.width], ['png', 1, png.height]);
  assert.ok(png.width! > 64 && png.width! <= 128);

  const both = await call('getSpectra', { caseId, itemIds: [b.id, a.id] });
  assert.deepEqual([both.itemIds, both.crops, both.residualPng], [[a.id, b.id], 10, null]);
  assert.notDeepEqual(both.spectrum2d.values, one.spectrum2d.values);
  assert.deepEqual(await call('getSpectra', { caseId, itemIds: [a.id] }), one, 'the same request gives the same answer');

  const text = items.find((i) => i.status !== 'analysable')!;
  await assert.rejects(call('getSpectra', { caseId, itemIds: [text.id] }), (e) => e instanceof ApiError && e.code === 'invalid_input' && /not analysable/.test(e.message));
});

test('without an installed model the fingerprint calls say so and the grid shows nothing fingerprinted', async (t) => {
  let engine: Engine | undefined;
  const home = makeTempDir(t, 'modelprint-fp-nomodel', () => engine?.close());
  engine = createEngine({ home, host: 'browser', actor: TEST_ACTOR, modelsDir: makeTempDir(t, 'modelprint-no-models') });
  const { handlers } = engine;
  const call = ((method, input) => dispatch(handlers, method, input)) as Call;
  const { id: caseId } = await call('createCase', { number: 'FP-0', title: 'No model', examiner: TEST_ACTOR });
  const notInstalled = (e: unknown) => e instanceof ApiError && e.code === 'not_found' && /not installed/.test(e.message);
  await assert.rejects(call('getModelInfo', {}), notInstalled);
  await assert.rejects(call('startFingerprint', { caseId }), notInstalled);
  const dir = makeTempDir(t, 'modelprint-fp-nomodel-images');
  await writeNoisePng(dir, 'one.png', 150, 150);
  await finished(call, await call('startImport', { caseId, paths: [dir] }));
  assert.deepEqual((await call('listEvidence', { caseId })).items.map((i) => [i.status, i.fingerprinted]), [['analysable', false]]);
});
