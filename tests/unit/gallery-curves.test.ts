// Known models' C_T curves: stored per encoder and reference set (gallery migration 3), computed at
// enrolment through the curve hook, carried by version 2 packs (version 1 packs still import).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { enrolmentCurveHook } from '../../src-engine/ct-curve/model-curve.ts';
import type { Db } from '../../src-engine/db/open-database.ts';
import { FingerprintService } from '../../src-engine/fingerprint/fingerprint-service.ts';
import { enrolModel } from '../../src-engine/gallery/enrol.ts';
import { galleryCurves, hasModelCurve, latestModelCurve, type ModelCurve, saveModelCurve } from '../../src-engine/gallery/gallery-curves.ts';
import { listHistory } from '../../src-engine/gallery/gallery-history.ts';
import { buildPack, importPack, PACK_VERSION, readVerifiedPack, writePack } from '../../src-engine/gallery/gallery-pack.ts';
import { insertModel, openGalleryDatabase, requireModel } from '../../src-engine/gallery/gallery-store.ts';
import { makeTempDir, type CleanupScope } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { buildTinyReference, tinyCurveService, writeNoiseImages } from './helpers/tiny-curves.ts';

const EXTRACTOR = { name: 'spectral-extractor-test', sha256: 'e'.repeat(64) };
const KEY = { encoderSha256: 'a'.repeat(64), referenceSha256: 'b'.repeat(64) };

function tempGallery(t: CleanupScope): { home: string; db: Db } {
  let db: Db | undefined;
  const home = makeTempDir(t, 'modelprint-gallery', () => void db?.close());
  db = openGalleryDatabase(home);
  return { home, db };
}

const curve = (values: (number | null)[], key = KEY, imageCount = 300): ModelCurve => ({ ...key, imageCount, values });

test('a model keeps one curve per encoder and reference set; a newer one replaces it', (t) => {
  const { db } = tempGallery(t);
  const a = insertModel(db, 'gan-a', { family: 'GAN' }, null);
  const b = insertModel(db, 'gan-b', { family: 'GAN' }, null);
  saveModelCurve(db, a, curve([1, null, -2]), '2026-01-01T00:00:00.000Z');
  saveModelCurve(db, b, curve([0.5, 0.25, null]));
  saveModelCurve(db, a, curve([9, 9], { ...KEY, encoderSha256: 'c'.repeat(64) }), '2026-02-01T00:00:00.000Z');
  assert.deepEqual(
    galleryCurves(db, KEY.encoderSha256, KEY.referenceSha256).map((c) => [c.model, c.family, c.values]),
    [
      ['gan-a', 'GAN', [1, null, -2]],
      ['gan-b', 'GAN', [0.5, 0.25, null]],
    ],
  );
  saveModelCurve(db, a, curve([2, 2, 2]));
  assert.deepEqual(galleryCurves(db, KEY.encoderSha256, KEY.referenceSha256)[0]!.values, [2, 2, 2]);
  assert.deepEqual(latestModelCurve(db, b)?.values, [0.5, 0.25, null]);
  assert.equal(hasModelCurve(db, a, KEY), true);
  assert.equal(hasModelCurve(db, a, { ...KEY, referenceSha256: 'd'.repeat(64) }), false);
  assert.equal(hasModelCurve(db, a, null), false);
});

test('a version 2 pack carries each model’s curve; it comes in even where the extractor differs', (t) => {
  const source = tempGallery(t);
  const a = insertModel(source.db, 'gan-a', { family: 'GAN' }, null);
  insertModel(source.db, 'gan-b', {}, null);
  saveModelCurve(source.db, a, curve([1.5, null, -0.5]));
  const pack = buildPack(source.db, EXTRACTOR);
  assert.equal(pack.version, PACK_VERSION);
  assert.equal(PACK_VERSION, 2);
  assert.deepEqual(pack.models.find((m) => m.name === 'gan-a')?.curve, curve([1.5, null, -0.5]));
  assert.equal(pack.models.find((m) => m.name === 'gan-b')?.curve, undefined);

  const file = path.join(source.home, 'pack.json');
  writePack(file, pack);
  const read = readVerifiedPack(file);
  const target = tempGallery(t);
  const outcome = importPack(target.db, read.pack, read.sha256, { actor: TEST_ACTOR, currentExtractorSha256: 'f'.repeat(64), allowStale: true });
  assert.equal(outcome.metadataOnly, true);
  assert.deepEqual(galleryCurves(target.db, KEY.encoderSha256, KEY.referenceSha256).map((c) => [c.model, c.values, c.imageCount]), [['gan-a', [1.5, null, -0.5], 300]]);
  // Importing the same pack again changes nothing.
  const again = importPack(target.db, read.pack, read.sha256, { actor: TEST_ACTOR, currentExtractorSha256: 'f'.repeat(64), allowStale: true });
  assert.deepEqual(again.skipped, ['gan-a', 'gan-b']);
});

test('a version 1 pack (no curves) still imports; a malformed curve is refused', (t) => {
  const { home, db } = tempGallery(t);
  const v1 = { format: 'modelprint-gallery-pack', version: 1, createdUtc: '2026-01-01T00:00:00.000Z', extractor: EXTRACTOR, models: [{ name: 'old', family: '', version: '', source: '', notes: '', parent: null, images: [] }] };
  const file = path.join(home, 'v1.json');
  writePack(file, v1 as never);
  const read = readVerifiedPack(file);
  importPack(db, read.pack, read.sha256, { actor: TEST_ACTOR, currentExtractorSha256: EXTRACTOR.sha256, allowStale: false });
  assert.equal(requireModel(db, 'old').name, 'old');

  const bad = { ...v1, version: 2, models: [{ ...v1.models[0]!, curve: { ...KEY, imageCount: 0, values: [1] } }] };
  writePack(file, bad as never);
  assert.throws(() => readVerifiedPack(file), /not a Modelprint gallery pack/);
});

test('enrolment computes the model’s curve through the hook; too few images leave the curve it has', async (t) => {
  const { home, db } = tempGallery(t);
  const curves = tinyCurveService(await buildTinyReference(home));
  const fingerprints = new FingerprintService();
  t.after(async () => {
    await curves.close();
    await fingerprints.close();
  });
  const images = path.join(home, 'reference');
  await writeNoiseImages(images, 24, 5000);
  const hook = enrolmentCurveHook(curves);
  const first = await enrolModel(db, fingerprints, { name: 'noise-gan', metadata: { family: 'noise' }, paths: [images] }, { actor: TEST_ACTOR, curve: hook });
  assert.deepEqual(first.curve, { imageCount: 24, reason: null });
  const key = curves.currentKey()!;
  const stored = galleryCurves(db, key.encoderSha256, key.referenceSha256);
  assert.deepEqual(stored.map((c) => [c.model, c.imageCount, c.values.length]), [['noise-gan', 24, 3]]);
  assert.deepEqual((listHistory(db).at(-1)!.details.curve as ModelCurve).values, stored[0]!.values);

  const more = path.join(home, 'more');
  await writeNoiseImages(more, 3, 6000);
  const second = await enrolModel(db, fingerprints, { name: 'noise-gan', metadata: {}, paths: [more] }, { actor: TEST_ACTOR, curve: hook });
  assert.equal(second.curve?.imageCount, null);
  assert.match(second.curve?.reason ?? '', /3 reference images: a C_T curve needs at least 21/);
  assert.deepEqual(galleryCurves(db, key.encoderSha256, key.referenceSha256)[0]!.imageCount, 24);
  assert.equal(requireModel(db, 'noise-gan').imageCount, 27);

  // Without an encoder installed the hook says so, and enrolment goes on.
  const missing = enrolmentCurveHook(tinyCurveService(path.join(home, 'nowhere')));
  fs.mkdirSync(path.join(home, 'third'));
  await writeNoiseImages(path.join(home, 'third'), 2, 7000);
  const third = await enrolModel(db, fingerprints, { name: 'other', metadata: {}, paths: [path.join(home, 'third')] }, { actor: TEST_ACTOR, curve: missing });
  assert.deepEqual(third.curve, { imageCount: null, reason: 'no layered encoder and C_T reference set installed' });
  assert.equal(third.created, true);
});
