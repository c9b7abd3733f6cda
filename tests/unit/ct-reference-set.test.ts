// The C_T reference set: built by the engine's script with the tiny ViT, read back exactly, and
// refused when its bin, its encoder or its preprocessing is not what the header says; then curves
// measured against it through the curve service (workers, prepared once).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ApiError } from '../../src-engine/api/errors.ts';
import { MINIMUM_CURVE_IMAGES } from '../../src-engine/ct-curve/curve-record.ts';
import { loadReferenceSet, readReferenceHeader, referencePaths } from '../../src-engine/ct-curve/reference-set.ts';
import { embedLayered, LayeredEncoder } from '../../src-engine/layered/layered-encoder.ts';
import { loadLayeredEncoder } from '../../src-engine/layered/layered-model.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { buildTinyReference, TINY_ENCODER, tinyCurveService, tinyModelsDir, writeNoiseImages } from './helpers/tiny-curves.ts';

const encoder = loadLayeredEncoder(tinyModelsDir, TINY_ENCODER);

function refusedWith(code: ApiError['code'], message: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof ApiError && error.code === code && message.test(error.message);
}

test('a built reference set reads back exactly: header, layer layout [layer][T then P][dim]', async (t) => {
  const dir = makeTempDir(t);
  const out = await buildTinyReference(dir);
  const loaded = loadReferenceSet(out, encoder);
  const { header } = loaded;
  assert.deepEqual([header.encoderSha256, header.layers, header.dim, header.tCount, header.pCount], [encoder.sha256, 3, 8, 40, 16]);
  assert.deepEqual(header.sidecar, encoder.sidecar);
  assert.equal(header.description, 'noise images');
  // The first T image and the last P image, embedded directly, are where the layout says.
  const opened = await LayeredEncoder.open(encoder.onnxPath, encoder.sidecar, ['cpu']);
  try {
    const files = [path.join(dir, 'T', '000.png'), path.join(dir, 'P', '015.png')];
    const rows: Float32Array[] = [];
    await embedLayered(opened, 2, (i) => fs.promises.readFile(files[i]!), { onResult: (r) => r.ok && (rows[r.index] = r.layers) });
    for (let layer = 0; layer < 3; layer++) {
      assert.deepEqual(loaded.layers[layer]!.T.data.subarray(0, 8), rows[0]!.subarray(layer * 8, (layer + 1) * 8));
      assert.deepEqual(loaded.layers[layer]!.P.data.subarray(15 * 8, 16 * 8), rows[1]!.subarray(layer * 8, (layer + 1) * 8));
    }
  } finally {
    await opened.close();
  }
});

test('a reference set is refused when its bin, encoder or preprocessing is not the one its header names', async (t) => {
  const dir = makeTempDir(t);
  const out = await buildTinyReference(dir);
  const files = referencePaths(out, TINY_ENCODER);
  const bin = fs.readFileSync(files.bin);

  const flipped = Buffer.from(bin);
  flipped[100]! ^= 1;
  fs.writeFileSync(files.bin, flipped);
  assert.throws(() => loadReferenceSet(out, encoder), refusedWith('internal', /does not match its header: its sha256 is [0-9a-f]{64}, the header states/));
  // The cheap header check cannot see a changed byte, only a changed size.
  readReferenceHeader(out, encoder);
  fs.writeFileSync(files.bin, bin.subarray(0, bin.length - 4));
  assert.throws(() => readReferenceHeader(out, encoder), refusedWith('internal', /holds \d+ bytes, the header describes \d+/));
  fs.writeFileSync(files.bin, bin);
  loadReferenceSet(out, encoder);

  const other = loadLayeredEncoder(tinyModelsDir, 'tiny-vit-tokens');
  assert.throws(() => loadReferenceSet(out, { ...encoder, sha256: other.sha256 }), refusedWith('conflict', /embedded by encoder tiny-vit [0-9a-f]{64}, not the installed/));
  assert.throws(() => loadReferenceSet(out, { ...encoder, sidecar: { ...encoder.sidecar, resize: 20 } }), refusedWith('conflict', /other preprocessing/));

  const header = JSON.parse(fs.readFileSync(files.header, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(files.header, JSON.stringify({ ...header, tCount: 'forty' }));
  assert.throws(() => loadReferenceSet(out, encoder), refusedWith('internal', /not a C_T reference header/));
  assert.throws(() => loadReferenceSet(path.join(dir, 'nowhere'), encoder), refusedWith('not_found', /no C_T reference set for tiny-vit is installed .*build-reference-set\.ts/));
});

test('curves through the service: measured against the prepared reference, deterministic, honest below the minimum', async (t) => {
  const dir = makeTempDir(t);
  const service = tinyCurveService(await buildTinyReference(dir));
  t.after(() => service.close());
  const images = await writeNoiseImages(path.join(dir, 'Q'), 30, 3000);
  const files = images.map((file) => ({ path: file }));

  const first = await service.curveOf(files);
  assert.equal(first.curve.itemCount, 30);
  assert.equal(first.curve.values.length, 3);
  assert.equal(first.curve.minimumImages, MINIMUM_CURVE_IMAGES);
  first.curve.values.forEach((value, layer) => {
    if (first.curve.keptCells[layer] === 0) assert.equal(value, null, `layer ${layer + 1} keeps no cell`);
    else assert.ok(value === null || Number.isFinite(value));
  });
  assert.match(first.curve.note ?? '', /noisier than the paper's curves of 500/);
  assert.deepEqual((await service.curveOf(files)).curve, first.curve);

  // T's own images copy T exactly: wherever C_T is defined for them it is far below 0.
  const copies = await service.curveOf(fs.readdirSync(path.join(dir, 'T')).map((name) => ({ path: path.join(dir, 'T', name) })));
  const defined = copies.curve.values.filter((value) => value !== null);
  assert.ok(defined.length > 0 && defined.every((value) => value < -2), `C_T of T itself: ${copies.curve.values.join(', ')}`);

  const few = await service.curveOf(files.slice(0, MINIMUM_CURVE_IMAGES - 1));
  assert.deepEqual(few.curve.values, [null, null, null]);
  assert.deepEqual(few.curve.keptCells, [0, 0, 0]);
  assert.match(few.curve.note ?? '', /20 images: .* no cell can be kept and C_T is undefined at every layer\. At least 21 images are needed/);

  const withFailure = await service.curveOf([...files.slice(0, 2), { path: path.join(dir, 'missing.png') }]);
  assert.deepEqual(withFailure.failures.map((f) => f.index), [2]);
  assert.equal(withFailure.curve.itemCount, 2);
});
