// The gallery's history view and undo of its last change, through dispatch() as the UI calls them:
// an enrolment, added references (fields, parent and references back as they were) and a removed
// reference (back with its embeddings) are undone by a new history entry; nothing else is, and the
// chain stays intact.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import test from 'node:test';
import { GALLERY_DB } from '../../src-engine/gallery/gallery-store.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { apiError, runJob, startEngine, type Call } from './helpers/test-engine.ts';

function cosine(a: Buffer, b: Buffer): number {
  const x = new Float32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
  return dot;
}

async function undoLast(call: Call) {
  const { undoable } = await call('getGalleryHistory', {});
  assert.ok(undoable, 'the last change can be undone');
  return call('undoGalleryChange', { seq: undoable.seq });
}

test('the history lists every entry newest first with its hash and model; a new enrolment is undone by a new entry', async (t) => {
  const { engine, call } = startEngine(t);
  const images = makeTempDir(t, 'modelprint-undo-enrol');
  await writeNoisePng(images, 'a.png', 160, 160, 41);
  await writeNoisePng(images, 'b.png', 160, 160, 42);
  const seeded = await call('getGalleryHistory', {});
  assert.equal(seeded.undoable, null);
  assert.match(seeded.undoRefusal ?? '', /not one undo reverses/);

  await runJob(engine, () => call('startGalleryEnrol', { name: 'undo-me', family: 'Test', paths: [images] }));
  const enrolled = await call('getGalleryHistory', {});
  const [last] = enrolled.entries;
  assert.deepEqual([last?.seq, last?.action, last?.model, last?.summary], [2, 'model.enrolled', 'undo-me', 'enrolled from 2 reference images']);
  assert.match(last?.entryHash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(enrolled.verification.headHash, last?.entryHash);
  assert.deepEqual(enrolled.undoable, { seq: 2, action: 'model.enrolled', model: 'undo-me' });

  const after = await call('undoGalleryChange', { seq: 2 });
  assert.equal((await call('listGallery', {})).models.some((m) => m.name === 'undo-me'), false);
  assert.deepEqual(after.entries.map((e) => e.action), ['change.undone', 'model.enrolled', 'gallery.seeded'], 'nothing is rewritten');
  assert.equal(after.entries[0]?.summary, 'undid entry 2 (model enrolled)');
  assert.deepEqual([after.verification.ok, after.verification.entries], [true, 3]);
  assert.equal(after.undoable, null);
  assert.match(after.undoRefusal ?? '', /itself an undo/);
  await assert.rejects(call('undoGalleryChange', { seq: 3 }), apiError('conflict', /itself an undo/));
});

test('undoing added references takes them out and puts the fields, parent and fingerprint back as they were', async (t) => {
  const { engine, call, home } = startEngine(t);
  const first = makeTempDir(t, 'modelprint-undo-first');
  const more = makeTempDir(t, 'modelprint-undo-more');
  await writeNoisePng(first, 'a.png', 160, 160, 51);
  await writeNoisePng(first, 'b.png', 160, 160, 52);
  await writeNoisePng(more, 'c.png', 160, 160, 53);
  await runJob(engine, () => call('startGalleryEnrol', { name: 'grows', family: 'Before', notes: 'first notes', paths: [first] }));
  const db = new Database(path.join(home, GALLERY_DB), { readonly: true });
  t.after(() => db.close());
  const fingerprint = () => db.prepare("SELECT f.embedding, f.image_count FROM fingerprints f JOIN models m ON m.id = f.model_id WHERE m.name = 'grows'").get() as { embedding: Buffer; image_count: number };
  const before = fingerprint();

  await runJob(engine, () => call('startGalleryEnrol', { name: 'grows', family: 'After', parent: 'sdxl', paths: [more], addToExisting: true }));
  const grown = (await call('listGallery', {})).models.find((m) => m.name === 'grows')!;
  assert.deepEqual([grown.imageCount, grown.family, grown.parent], [3, 'After', 'sdxl']);
  assert.equal((await call('getGalleryHistory', {})).entries[0]?.summary, '1 image embedded');

  await undoLast(call);
  const back = (await call('listGallery', {})).models.find((m) => m.name === 'grows')!;
  assert.deepEqual([back.imageCount, back.family, back.notes, back.parent, back.fingerprintState], [2, 'Before', 'first notes', null, 'current']);
  assert.equal(fingerprint().image_count, 2);
  assert.deepEqual(fingerprint().embedding, before.embedding, 'the same references in the same order give the same fingerprint');
  assert.deepEqual((await call('listGalleryReferences', { name: 'grows' })).map((r) => r.originalName), ['a.png', 'b.png']);
});

test('undoing a removed reference brings it back with its embeddings; stale and broken histories refuse', async (t) => {
  const { engine, call, home } = startEngine(t);
  const images = makeTempDir(t, 'modelprint-undo-ref');
  await writeNoisePng(images, 'a.png', 160, 160, 61);
  await writeNoisePng(images, 'b.png', 160, 160, 62);
  await writeNoisePng(images, 'c.png', 160, 160, 63);
  await runJob(engine, () => call('startGalleryEnrol', { name: 'three', paths: [images] }));
  const refs = await call('listGalleryReferences', { name: 'three' });
  assert.deepEqual(refs.map((r) => r.originalName), ['a.png', 'b.png', 'c.png']);
  assert.ok(refs.every((r) => /^[0-9a-f]{64}$/.test(r.sha256)));
  const db = new Database(path.join(home, GALLERY_DB), { readonly: true });
  t.after(() => db.close());
  const fingerprint = () => db.prepare("SELECT f.embedding, f.image_count FROM fingerprints f JOIN models m ON m.id = f.model_id WHERE m.name = 'three'").get() as { embedding: Buffer; image_count: number };
  const before = fingerprint();

  await call('removeGalleryReference', { name: 'three', sha256: refs[1]!.sha256 });
  const removed = await call('getGalleryHistory', {});
  assert.equal(removed.entries[0]?.summary, 'b.png removed, 2 reference images left');
  await assert.rejects(call('undoGalleryChange', { seq: removed.undoable!.seq - 1 }), apiError('conflict', /no longer the gallery's last change/));

  await call('undoGalleryChange', { seq: removed.undoable!.seq });
  const restored = await call('listGalleryReferences', { name: 'three' });
  assert.deepEqual(restored.map((r) => [r.sha256, r.enrolledUtc]).sort(), refs.map((r) => [r.sha256, r.enrolledUtc]).sort());
  assert.equal(fingerprint().image_count, 3);
  assert.ok(cosine(fingerprint().embedding, before.embedding) > 0.999999, 'the fingerprint is the mean of the same embeddings again');

  await call('removeGalleryModel', { name: 'three' });
  assert.match((await call('getGalleryHistory', {})).undoRefusal ?? '', /removed a model/);

  // An entry changed outside the application: the chain is broken and nothing is undone.
  await runJob(engine, () => call('startGalleryEnrol', { name: 'again', paths: [images] }));
  const tamperer = new Database(path.join(home, GALLERY_DB));
  tamperer.exec('DROP TRIGGER history_no_update');
  tamperer.prepare("UPDATE history SET actor = 'someone else' WHERE seq = 1").run();
  tamperer.close();
  const broken = await call('getGalleryHistory', {});
  assert.deepEqual([broken.verification.ok, broken.undoable], [false, null]);
  await assert.rejects(call('undoGalleryChange', { seq: broken.verification.entries }), apiError('conflict', /chain is broken/));
  assert.ok((await call('listGallery', {})).models.some((m) => m.name === 'again'));
});

test('the history methods validate their input', async (t) => {
  const { call } = startEngine(t);
  for (const [method, input] of [
    ['getGalleryHistory', { extra: 1 }],
    ['undoGalleryChange', {}],
    ['undoGalleryChange', { seq: 0 }],
    ['undoGalleryChange', { seq: 1.5 }],
    ['listGalleryReferences', { name: '' }],
  ] as const) {
    await assert.rejects(call(method, input), apiError('invalid_input'), `${method} ${JSON.stringify(input)}`);
  }
  await assert.rejects(call('listGalleryReferences', { name: 'no-such-model' }), apiError('not_found'));
});
