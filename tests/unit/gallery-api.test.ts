// The gallery browser's API methods through dispatch(), as the UI calls them: listing with the
// history check, families, enrolment as a job (progress, cancel, failure) and removal.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { ApiMethod, GalleryEnrolJob, JobStatus } from '../../src-engine/api/contract.ts';
import { GALLERY_DB } from '../../src-engine/gallery/gallery-store.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';

function enrolJob(job: JobStatus): GalleryEnrolJob {
  assert.equal(job.kind, 'gallery-enrol');
  return job as GalleryEnrolJob;
}

test('listGallery shows the seeded default gallery, its weak references and an intact history', async (t) => {
  const { call } = startEngine(t);
  const overview = await call('listGallery', {});
  const extractor = installedModel();
  assert.deepEqual(overview.extractor, { name: extractor.name, sha256: extractor.sha256 });
  const sd15 = overview.models.find((m) => m.name === 'sd15');
  assert.ok(sd15, 'the bundled pack seeds the gallery');
  assert.deepEqual([sd15.fingerprintState, sd15.weakReference, sd15.parent], ['current', false, null]);
  assert.equal(overview.models.find((m) => m.name === 'sdxl')?.weakReference, true, 'sdxl has 5 published references: weak');
  assert.equal(overview.models.find((m) => m.name === 'animagine-xl-lora')?.parent, 'sdxl');
  assert.deepEqual([overview.history.ok, overview.history.entries, overview.history.problems], [true, 1, []]);
  assert.match(overview.history.headHash ?? '', /^[0-9a-f]{64}$/);
});

test('getGalleryFamilies clusters every current fingerprint: heatmap, dendrogram, leaf order and map', async (t) => {
  const { call } = startEngine(t);
  const overview = await call('listGallery', {});
  const families = await call('getGalleryFamilies', {});
  const n = families.models.length;
  assert.deepEqual(families.models, overview.models.filter((m) => m.fingerprintState === 'current').map((m) => m.name));
  assert.equal(families.families.length, n);
  assert.equal(families.similarity.length, n);
  families.similarity.forEach((row, i) => {
    assert.equal(row.length, n);
    assert.ok(Math.abs(row[i]! - 1) < 1e-6, 'a fingerprint is identical to itself');
  });
  assert.equal(families.linkage.length, n - 1);
  assert.equal(families.linkage.at(-1)!.size, n);
  assert.deepEqual([...families.leafOrder].sort((a, b) => a - b), [...Array(n).keys()]);
  assert.equal(families.map.points.length, n);
  assert.match(families.map.method, /^(UMAP|PCA)/);
  assert.deepEqual(families.excluded, []);
});

test('startGalleryEnrol enrols reference images as a job; the model then lists with its lineage and can be removed', async (t) => {
  const { engine, call } = startEngine(t);
  const images = makeTempDir(t, 'modelprint-gallery-api-images');
  await writeNoisePng(images, 'a.png', 160, 160, 11);
  await writeNoisePng(images, 'b.png', 180, 140, 12);
  fs.writeFileSync(path.join(images, 'broken.png'), 'not an image');

  const { job } = await runJob(engine, () => call('startGalleryEnrol', { name: 'noise-gen', family: 'Test', notes: 'made for a test', parent: 'sdxl', paths: [images] }));
  const enrol = enrolJob(job);
  assert.equal(enrol.state, 'done');
  assert.equal(enrol.caseId, null);
  assert.deepEqual([enrol.model, enrol.counts, enrol.imageCount, enrol.done, enrol.total], ['noise-gen', { embedded: 2, alreadyEnrolled: 0, failed: 1 }, 2, 3, 3]);
  assert.match(enrol.failures[0]!.path, /broken\.png$/);
  // Two images are too few for a C_T curve (or no layered encoder is installed): the job says why.
  assert.equal(enrol.curve?.imageCount, null);
  assert.match(enrol.curve?.reason ?? '', /C_T curve needs at least|no layered encoder/);

  const model = (await call('listGallery', {})).models.find((m) => m.name === 'noise-gen');
  assert.deepEqual(
    model && [model.family, model.notes, model.parent, model.imageCount, model.weakReference, model.fingerprintState, model.hasCurve],
    ['Test', 'made for a test', 'sdxl', 2, true, 'current', false],
  );
  assert.ok((await call('getGalleryFamilies', {})).models.includes('noise-gen'));

  await assert.rejects(call('removeGalleryModel', { name: 'sdxl' }), apiError('conflict', /parent of .*noise-gen/));
  const after = await call('removeGalleryModel', { name: 'noise-gen' });
  assert.equal(after.models.some((m) => m.name === 'noise-gen'), false);
  assert.deepEqual([after.history.ok, after.history.entries], [true, 3], 'seeded, enrolled, removed');
  await assert.rejects(call('removeGalleryModel', { name: 'noise-gen' }), apiError('not_found'));
});

test("enrolling under an existing model's name is refused unless the request says to add to that model", async (t) => {
  const { engine, call } = startEngine(t);
  const images = makeTempDir(t, 'modelprint-gallery-api-add');
  await writeNoisePng(images, 'c.png', 160, 160, 21);
  const before = (await call('listGallery', {})).models.find((m) => m.name === 'sdxl')!.imageCount;
  await assert.rejects(call('startGalleryEnrol', { name: 'sdxl', paths: [images] }), apiError('conflict', /"sdxl" already exists .*Add to this model/));
  assert.equal((await call('listGallery', {})).models.find((m) => m.name === 'sdxl')!.imageCount, before, 'nothing was added');
  const { job } = await runJob(engine, () => call('startGalleryEnrol', { name: 'sdxl', paths: [images], addToExisting: true }));
  assert.equal(enrolJob(job).state, 'done');
  assert.equal((await call('listGallery', {})).models.find((m) => m.name === 'sdxl')!.imageCount, before + 1);
});

test('an enrolment with nothing usable fails, an unknown parent is refused up front, and a cancelled one writes nothing', async (t) => {
  const { engine, call } = startEngine(t);
  const junk = makeTempDir(t, 'modelprint-gallery-api-junk');
  fs.writeFileSync(path.join(junk, 'notes.txt'), 'no pixels here');
  const failed = enrolJob((await runJob(engine, () => call('startGalleryEnrol', { name: 'empty', paths: [junk] }))).job);
  assert.equal(failed.state, 'failed');
  assert.match(failed.error ?? '', /nothing was enrolled into "empty"/);
  await assert.rejects(call('startGalleryEnrol', { name: 'orphan', parent: 'nope', paths: [junk] }), apiError('not_found', /nope/));

  const images = makeTempDir(t, 'modelprint-gallery-api-many');
  for (let i = 0; i < 12; i++) await writeNoisePng(images, `n${i}.png`, 160, 160, 100 + i);
  const { job } = await runJob(engine, async () => {
    const started = await call('startGalleryEnrol', { name: 'cancelled', paths: [images] });
    await call('cancelJob', { jobId: started.id });
    return started;
  });
  assert.equal(job.state, 'cancelled', job.error ?? '');
  const names = (await call('listGallery', {})).models.map((m) => m.name);
  assert.equal(names.includes('cancelled') || names.includes('empty'), false);
});

test('the gallery methods validate their input before any handler runs', async (t) => {
  const { call } = startEngine(t);
  const bad: Array<[ApiMethod, unknown]> = [
    ['listGallery', { extra: 1 }],
    ['getGalleryFamilies', { extra: 1 }],
    ['startGalleryEnrol', { name: 'x', paths: [] }],
    ['startGalleryEnrol', { name: '', paths: ['/tmp/a.png'] }],
    ['startGalleryEnrol', { name: '   ', paths: ['/tmp/a.png'] }],
    ['startGalleryEnrol', { name: 'x', paths: ['/tmp/a\0b.png'] }],
    ['startGalleryEnrol', { name: 'x', paths: '/tmp/a.png' }],
    ['startGalleryEnrol', { name: 'x', paths: ['/tmp/a.png'], colour: 'red' }],
    ['removeGalleryModel', {}],
  ];
  for (const [method, input] of bad) await assert.rejects(call(method, input), apiError('invalid_input'), `${method} ${JSON.stringify(input)}`);
});

test("listGallery reports a history whose tail was cut off outside the application", async (t) => {
  const { call, home } = startEngine(t);
  await call('removeGalleryModel', { name: 'dalle2' });
  const tamperer = new Database(path.join(home, GALLERY_DB));
  tamperer.exec('DROP TRIGGER history_no_delete');
  tamperer.prepare('DELETE FROM history WHERE seq = 2').run();
  tamperer.close();
  const { history } = await call('listGallery', {});
  assert.equal(history.ok, false);
  assert.deepEqual(history.problems.map((p) => p.problem), ['head_mismatch']);
});

test('one reference image is removed and the fingerprint recomputed; the last one is not, and the history records it', async (t) => {
  const { engine, call, home } = startEngine(t);
  const images = makeTempDir(t, 'modelprint-gallery-api-refs');
  await writeNoisePng(images, 'a.png', 160, 160, 31);
  await writeNoisePng(images, 'b.png', 160, 160, 32);
  await runJob(engine, () => call('startGalleryEnrol', { name: 'two-refs', paths: [images] }));
  const db = new Database(path.join(home, GALLERY_DB), { readonly: true });
  t.after(() => db.close());
  const refs = db.prepare("SELECT r.sha256 FROM reference_images r JOIN models m ON m.id = r.model_id WHERE m.name = 'two-refs' ORDER BY r.id").all() as Array<{ sha256: string }>;
  const fingerprint = () => (db.prepare("SELECT f.embedding, f.image_count FROM fingerprints f JOIN models m ON m.id = f.model_id WHERE m.name = 'two-refs'").get() as { embedding: Buffer; image_count: number });
  const before = fingerprint();
  const after = await call('removeGalleryReference', { name: 'two-refs', sha256: refs[0]!.sha256 });
  assert.equal(after.models.find((m) => m.name === 'two-refs')?.imageCount, 1);
  assert.equal(fingerprint().image_count, 1);
  assert.notDeepEqual(fingerprint().embedding, before.embedding, 'the fingerprint no longer carries the removed image');
  await assert.rejects(call('removeGalleryReference', { name: 'two-refs', sha256: refs[1]!.sha256 }), apiError('conflict', /only reference image .* remove the model instead/));
  await assert.rejects(call('removeGalleryReference', { name: 'two-refs', sha256: refs[0]!.sha256 }), apiError('not_found'));
  assert.equal(after.history.ok, true);
  assert.ok((db.prepare("SELECT count(*) AS n FROM history WHERE action = 'reference.removed'").get() as { n: number }).n === 1);
});
