// The gallery: its schema, enrolment with the installed extractor, stale fingerprints after an
// extractor change, packs (round trip, tampering, other extractors), seeding from the bundled pack,
// the history chain, and 1:N identification on constructed embeddings.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ApiError } from '../../src-engine/api/errors.ts';
import { chainEntryHash, sha256Text } from '../../src-engine/db/hash-chain.ts';
import type { Db } from '../../src-engine/db/open-database.ts';
import { FingerprintService } from '../../src-engine/fingerprint/fingerprint-service.ts';
import { locateDefaultPack, openLibraryGallery } from '../../src-engine/gallery/default-gallery.ts';
import { enrolModel } from '../../src-engine/gallery/enrol.ts';
import { galleryOverview } from '../../src-engine/gallery/gallery-browser.ts';
import { saveModelCurve } from '../../src-engine/gallery/gallery-curves.ts';
import { appendHistory, historyHead, listHistory, verifyHistory } from '../../src-engine/gallery/gallery-history.ts';
import { galleryMigrations } from '../../src-engine/gallery/gallery-migrations.ts';
import { buildPack, importPack, PackIntegrityError, readVerifiedPack, writePack } from '../../src-engine/gallery/gallery-pack.ts';
import {
  addReferenceEmbedding,
  addReferenceImage,
  currentFingerprints,
  referenceImages,
  deleteModel,
  fingerprintState,
  GALLERY_DB,
  insertModel,
  listModels,
  openGalleryDatabase,
  refreshFingerprint,
  requireModel,
} from '../../src-engine/gallery/gallery-store.ts';
import { buildGalleryMatrix, identify } from '../../src-engine/gallery/identify.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { makeTempDir, type CleanupScope } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';

const EXTRACTOR_A = 'a'.repeat(64);
const EXTRACTOR_B = 'b'.repeat(64);

function tempGallery(t: CleanupScope): { home: string; db: Db } {
  let db: Db | undefined;
  const home = makeTempDir(t, 'modelprint-gallery', () => void db?.close());
  db = openGalleryDatabase(home);
  return { home, db };
}

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

/** A model with one reference image per embedding, for extractor `sha`. */
function addModel(db: Db, name: string, embeddings: Float32Array[], sha = EXTRACTOR_A, parent: string | null = null): number {
  const id = insertModel(db, name, { family: `${name}-family` }, parent);
  embeddings.forEach((e, i) => addReferenceEmbedding(db, addReferenceImage(db, id, String(i).repeat(64).slice(0, 64), `${name}-${i}.png`), sha, e));
  refreshFingerprint(db, id, sha);
  return id;
}

test('the gallery schema is versioned, and its history is append-only and hash-chained', (t) => {
  const { home, db } = tempGallery(t);
  assert.equal(db.pragma('user_version', { simple: true }), galleryMigrations.at(-1)!.version);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  const reopened = openGalleryDatabase(home);
  t.after(() => reopened.close());
  assert.equal((reopened.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, galleryMigrations.length);

  assert.deepEqual(verifyHistory(reopened), { ok: true, entries: 0, headHash: null, problems: [] });
  appendHistory(reopened, TEST_ACTOR, 'first');
  appendHistory(reopened, TEST_ACTOR, 'second', { n: 2 });
  const intact = verifyHistory(reopened);
  assert.deepEqual([intact.ok, intact.entries, intact.problems], [true, 2, []]);
  assert.deepEqual(historyHead(reopened), { seq: 2, hash: intact.headHash });
  assert.throws(() => reopened.prepare("UPDATE history SET actor = 'x'").run(), /append-only/);
  assert.throws(() => reopened.prepare('DELETE FROM history').run(), /append-only/);

  const tamperer = new Database(path.join(home, GALLERY_DB));
  tamperer.exec('DROP TRIGGER history_no_update');
  tamperer.prepare("UPDATE history SET details = '{\"n\":3}' WHERE seq = 2").run();
  tamperer.close();
  assert.deepEqual(verifyHistory(reopened).problems.map((p) => [p.seq, p.problem]), [[2, 'altered']]);
});

test("cutting off the history's tail is detected against the head the gallery keeps", (t) => {
  const { home, db } = tempGallery(t);
  for (const action of ['one', 'two', 'three']) appendHistory(db, TEST_ACTOR, action);
  const tamperer = new Database(path.join(home, GALLERY_DB));
  tamperer.exec('DROP TRIGGER history_no_delete');
  tamperer.prepare('DELETE FROM history WHERE seq = 3').run();
  tamperer.close();
  const check = verifyHistory(db);
  assert.equal(check.ok, false, 'each remaining entry links correctly, but the recorded head is gone');
  assert.equal(check.entries, 2);
  assert.deepEqual(check.problems.map((p) => [p.seq, p.problem]), [[2, 'head_mismatch']]);
  assert.match(check.problems[0]!.message, /gallery records its head at entry 3/);

  // The next entry follows the recorded head, so the gap stays visible in the chain itself.
  appendHistory(db, TEST_ACTOR, 'four');
  assert.deepEqual(verifyHistory(db).problems.map((p) => [p.seq, p.problem]), [[4, 'sequence_gap'], [4, 'broken_link']]);
});

test('a gallery made before the history head existed takes its head from its history at the upgrade', (t) => {
  const home = makeTempDir(t, 'modelprint-gallery');
  const old = new Database(path.join(home, GALLERY_DB));
  old.exec(galleryMigrations[0]!.sql);
  old.pragma('user_version = 1');
  const row = { seq: 1, at_utc: '2026-01-01T00:00:00.000Z', actor: TEST_ACTOR, action: 'gallery.created', details: '{}', prev_hash: sha256Text('modelprint-gallery-history-genesis') };
  old.prepare('INSERT INTO history VALUES (@seq, @at_utc, @actor, @action, @details, @prev_hash, @entry_hash)').run({ ...row, entry_hash: chainEntryHash(row) });
  old.close();
  const db = openGalleryDatabase(home);
  t.after(() => db.close());
  assert.deepEqual(historyHead(db), { seq: 1, hash: chainEntryHash(row) });
  assert.equal(verifyHistory(db).ok, true);
});

test('lineage: a parent cannot be removed while its children exist, and no model descends from itself', (t) => {
  const { db } = tempGallery(t);
  addModel(db, 'base', [unit([1, 0, 0])]);
  addModel(db, 'tune', [unit([1, 1, 0])], EXTRACTOR_A, 'base');
  assert.equal(requireModel(db, 'tune').parent, 'base');
  assert.throws(() => deleteModel(db, requireModel(db, 'base')), (e: ApiError) => e.code === 'conflict');
  deleteModel(db, requireModel(db, 'tune'));
  deleteModel(db, requireModel(db, 'base'));
  assert.deepEqual(listModels(db), []);
  assert.equal((db.prepare('SELECT count(*) AS n FROM reference_embeddings').get() as { n: number }).n, 0);
});

test('enrolment fingerprints reference images with the installed extractor; enrolling them again adds nothing', async (t) => {
  const { home, db } = tempGallery(t);
  const images = path.join(home, 'images');
  fs.mkdirSync(images);
  await writeNoisePng(images, 'one.png', 160, 160, 1);
  await writeNoisePng(images, 'two.png', 200, 150, 2);
  const service = new FingerprintService();
  t.after(() => service.close());
  const sha = installedModel().sha256;

  const first = await enrolModel(db, service, { name: 'noise', metadata: { family: 'Test', notes: 'made up' }, paths: [images] }, { actor: TEST_ACTOR });
  assert.equal(first.created, true);
  assert.equal(first.embedded, 2);
  assert.equal(first.imageCount, 2);
  const model = requireModel(db, 'noise');
  assert.equal(model.family, 'Test');
  assert.equal(model.version, '');
  assert.equal(fingerprintState(db, model.id, sha), 'current');
  const [fingerprint] = currentFingerprints(db, sha);
  assert.ok(fingerprint);
  assert.ok(Math.abs(Math.hypot(...fingerprint.embedding) - 1) < 1e-5, 'the fingerprint is L2-normalised');

  const again = await enrolModel(db, service, { name: 'noise', metadata: {}, paths: [path.join(images, 'one.png')] }, { actor: TEST_ACTOR });
  assert.deepEqual([again.created, again.embedded, again.alreadyEnrolled, again.imageCount], [false, 0, 1, 2]);
  assert.deepEqual(listHistory(db).map((h) => h.action), ['model.enrolled', 'model.re-enrolled']);

  await assert.rejects(enrolModel(db, service, { name: 'orphan', metadata: {}, parent: 'nope', paths: [images] }, { actor: TEST_ACTOR }), (e: ApiError) => e.code === 'not_found');
});

test('a fingerprint made by another extractor is stale and takes no part in matching until re-enrolled', (t) => {
  const { db } = tempGallery(t);
  const id = addModel(db, 'old', [unit([1, 0]), unit([0, 1])], EXTRACTOR_B);
  addModel(db, 'fresh', [unit([1, 0])], EXTRACTOR_A);
  assert.equal(fingerprintState(db, id, EXTRACTOR_A), 'stale');
  assert.equal(fingerprintState(db, id, null), 'stale');
  assert.deepEqual(currentFingerprints(db, EXTRACTOR_A).map((f) => f.name), ['fresh']);
  addReferenceEmbedding(db, addReferenceImage(db, id, 'f'.repeat(64), 'new.png'), EXTRACTOR_A, unit([1, 1]));
  refreshFingerprint(db, id, EXTRACTOR_A);
  assert.equal(fingerprintState(db, id, EXTRACTOR_A), 'current');
});

test('a pack round-trips through its file and hash, and a changed byte is refused', (t) => {
  const { home, db } = tempGallery(t);
  addModel(db, 'base', [unit([1, 0, 0]), unit([0.9, 0.1, 0])]);
  addModel(db, 'tune', [unit([0, 1, 0])], EXTRACTOR_A, 'base');
  addModel(db, 'other', [unit([0, 0, 1])]);
  const file = path.join(home, 'pack.json');
  const packSha = writePack(file, buildPack(db, { name: 'test-extractor', sha256: EXTRACTOR_A }, ['tune']));
  assert.match(fs.readFileSync(`${file}.sha256`, 'utf8'), new RegExp(`^${packSha}  pack.json\\n$`));

  const { pack, sha256 } = readVerifiedPack(file);
  assert.equal(sha256, packSha);
  assert.deepEqual(pack.models.map((m) => m.name), ['base', 'tune'], 'ancestors are exported with a model, parents first');

  const target = tempGallery(t).db;
  const outcome = importPack(target, pack, sha256, { actor: TEST_ACTOR, currentExtractorSha256: EXTRACTOR_A, allowStale: false });
  assert.deepEqual([outcome.added, outcome.updated, outcome.skipped, outcome.metadataOnly], [['base', 'tune'], [], [], false]);
  assert.equal(requireModel(target, 'tune').parent, 'base');
  const original = new Map(currentFingerprints(db, EXTRACTOR_A).map((f) => [f.name, f.embedding]));
  for (const f of currentFingerprints(target, EXTRACTOR_A)) assert.deepEqual(f.embedding, original.get(f.name));
  assert.deepEqual(importPack(target, pack, sha256, { actor: TEST_ACTOR, currentExtractorSha256: EXTRACTOR_A, allowStale: false }).skipped, ['base', 'tune']);

  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
  fs.writeFileSync(file, bytes);
  assert.throws(() => readVerifiedPack(file), PackIntegrityError);
  fs.rmSync(`${file}.sha256`);
  assert.throws(() => readVerifiedPack(file), (e: ApiError) => e.code === 'not_found');
});

test("another extractor's pack is refused, or imported as metadata only with --allow-stale", (t) => {
  const { db } = tempGallery(t);
  addModel(db, 'm', [unit([1, 2, 3])], EXTRACTOR_B);
  const pack = buildPack(db, { name: 'old-extractor', sha256: EXTRACTOR_B });
  const target = tempGallery(t).db;
  assert.throws(() => importPack(target, pack, 'c'.repeat(64), { actor: TEST_ACTOR, currentExtractorSha256: EXTRACTOR_A, allowStale: false }), (e: ApiError) => e.code === 'conflict');
  const outcome = importPack(target, pack, 'c'.repeat(64), { actor: TEST_ACTOR, currentExtractorSha256: EXTRACTOR_A, allowStale: true });
  assert.equal(outcome.metadataOnly, true);
  const model = requireModel(target, 'm');
  assert.equal(model.imageCount, 1);
  assert.equal(fingerprintState(target, model.id, EXTRACTOR_A), 'none');
});

test('a new library gallery is seeded once from the bundled default pack', (t) => {
  const home = makeTempDir(t, 'modelprint-gallery');
  const bundled = locateDefaultPack();
  assert.ok(bundled, 'resources/gallery/default-pack.json is found');
  const options = { actor: TEST_ACTOR, currentExtractorSha256: installedModel().sha256 };
  const db = openLibraryGallery(home, options);
  const models = listModels(db);
  // Real generators only: the corpus's generators with the fixtures merged in, up to 25 references each.
  const fixtures = ['animagine-xl-lora', 'dalle2', 'realcartoon-xl-lora', 'sd15', 'sdxl'];
  assert.ok(fixtures.every((name) => models.some((m) => m.name === name)));
  assert.ok(models.length >= 25);
  assert.ok(models.every((m) => /^Real generator\./.test(m.notes) && m.imageCount >= 1 && m.imageCount <= 25));
  assert.ok(models.filter((m) => m.imageCount < 10).every((m) => /weak reference/.test(m.notes)));
  assert.ok(!models.some((m) => /self-trained synthetic/.test(m.source)), 'the toy autoencoders are a demo pack, not the default');
  for (const [child, parent] of [['animagine-xl-lora', 'sdxl'], ['realcartoon-xl-lora', 'sdxl'], ['sdxl-turbo', 'sdxl'], ['chroma', 'flux1']]) assert.equal(requireModel(db, child!).parent, parent);
  // Every reference names its provenance: repository@commit:path.
  const sd15 = requireModel(db, 'sd15');
  assert.ok(referenceImages(db, sd15.id).every((r) => /^[\w.-]+\/[\w.-]+(@[0-9a-f]{40})?:\S+$/.test(r.originalName)));
  assert.equal(currentFingerprints(db, options.currentExtractorSha256).length, models.length);
  assert.deepEqual(listHistory(db).map((h) => h.action), ['gallery.seeded']);
  // Children first: a parent cannot go while it has them.
  for (const m of [...models].sort((a, b) => Number(b.parent !== null) - Number(a.parent !== null))) deleteModel(db, requireModel(db, m.name));
  db.close();
  const reopened = openLibraryGallery(home, options);
  assert.deepEqual(listModels(reopened), [], 'an emptied gallery is not seeded again');
  reopened.close();
});

test("the browser's overview flags weak references, stale fingerprints and curves of the installed encoder only", (t) => {
  const { db } = tempGallery(t);
  const strong = addModel(db, 'strong', Array.from({ length: 10 }, (_, i) => unit([1, i, 0])));
  addModel(db, 'weak', [unit([0, 1, 0])]);
  addModel(db, 'old', [unit([0, 0, 1])], EXTRACTOR_B);
  const key = { encoderSha256: 'e'.repeat(64), referenceSha256: 'f'.repeat(64) };
  saveModelCurve(db, strong, { ...key, imageCount: 10, values: [0.5, null] });
  const overview = galleryOverview(db, { name: 'test-extractor', sha256: EXTRACTOR_A }, key);
  assert.deepEqual(
    overview.models.map((m) => [m.name, m.imageCount, m.weakReference, m.fingerprintState, m.hasCurve]),
    [['old', 1, true, 'stale', false], ['strong', 10, false, 'current', true], ['weak', 1, true, 'current', false]],
  );
  assert.equal(galleryOverview(db, { name: 'test-extractor', sha256: EXTRACTOR_A }, { ...key, referenceSha256: 'a'.repeat(64) }).models[1]!.hasCurve, false, 'a curve against another reference set does not count');
  assert.equal(galleryOverview(db, { name: 'test-extractor', sha256: EXTRACTOR_A }, null).models[1]!.hasCurve, false, 'no encoder installed');
});

test('identification ranks gallery entries by cosine similarity, best first, top k', () => {
  const gallery = buildGalleryMatrix([
    { modelId: 10, name: 'x', family: 'X', embedding: Float32Array.of(1, 0, 0) },
    { modelId: 11, name: 'y', family: 'Y', embedding: Float32Array.of(0, 3, 0) },
    { modelId: 12, name: 'xy', family: 'X', embedding: Float32Array.of(1, 1, 0) },
    { modelId: 13, name: 'z', family: 'Z', embedding: Float32Array.of(0, 0, -2) },
  ]);
  const ranked = identify(Float32Array.of(2, 1, 0), gallery, 3);
  assert.deepEqual(ranked.map((c) => [c.name, c.rank, c.modelId]), [['xy', 1, 12], ['x', 2, 10], ['y', 3, 11]]);
  assert.ok(Math.abs(ranked[0]!.score - 3 / Math.sqrt(10)) < 1e-6);
  assert.ok(Math.abs(ranked[1]!.score - 2 / Math.sqrt(5)) < 1e-6);
  const all = identify(Float32Array.of(0, 0, 1), gallery, 10);
  assert.deepEqual(all.map((c) => c.name), ['x', 'y', 'xy', 'z'], 'k beyond the gallery returns every entry; ties keep gallery order');
  assert.ok(Math.abs(all.at(-1)!.score + 1) < 1e-6);
  assert.throws(() => identify(Float32Array.of(1, 0), gallery, 1), /dimensions/);
});
