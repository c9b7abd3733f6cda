// The set encoder runtime on a tiny DeepSets model with the same contract as
// resources/models/set-encoder-v1.onnx (tests/fixtures/set-encoder/make_fixture.py), against numpy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { SetEncoder, setEncoderPath } from '../../src-engine/set-fingerprint/set-encoder.ts';
import { repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'set-encoder');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as { bags: number[][][]; set_fingerprints: number[][] };

test('set fingerprints of bags of 1, 3 and 7 embeddings match numpy; order within a bag does not matter', async (t) => {
  const encoder = await SetEncoder.open(fixtures, 'tiny-set-encoder');
  t.after(() => encoder.close());
  assert.equal(encoder.info.dim, 8);
  assert.match(encoder.info.sha256, /^[0-9a-f]{64}$/);
  for (const [k, bag] of expected.bags.entries()) {
    const out = await encoder.encode(bag.map((row) => Float32Array.from(row)));
    out.forEach((x, d) => assert.ok(Math.abs(x - expected.set_fingerprints[k]![d]!) < 1e-5, `bag ${k} dim ${d}: ${x} vs ${expected.set_fingerprints[k]![d]}`));
    const reversed = await encoder.encode([...bag].reverse().map((row) => Float32Array.from(row)));
    reversed.forEach((x, d) => assert.ok(Math.abs(x - out[d]!) < 1e-6));
  }
  await assert.rejects(encoder.encode([]), /at least one image/);
  await assert.rejects(encoder.encode([new Float32Array(5)]), /takes 8-d embeddings/);
});

test('no installed encoder is null; a model that is not its card\'s is refused', async (t) => {
  const dir = makeTempDir(t, 'modelprint-set-encoder');
  assert.equal(setEncoderPath(dir, 'tiny-set-encoder'), null);
  for (const ext of ['.onnx', '.json']) fs.copyFileSync(path.join(fixtures, `tiny-set-encoder${ext}`), path.join(dir, `tiny-set-encoder${ext}`));
  fs.writeFileSync(path.join(dir, 'tiny-set-encoder.md'), `sha256: ${'0'.repeat(64)}\n`);
  assert.equal(setEncoderPath(dir, 'tiny-set-encoder'), path.join(dir, 'tiny-set-encoder.onnx'));
  await assert.rejects(SetEncoder.open(dir, 'tiny-set-encoder'), /does not match its model card/);
});
