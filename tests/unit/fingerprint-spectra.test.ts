import assert from 'node:assert/strict';
import test from 'node:test';
import sharp from 'sharp';
import { SPECTRUM_EPSILON } from '../../src-engine/fingerprint/extractor.ts';
import { residualPng, SpectrumAccumulator } from '../../src-engine/fingerprint/spectra.ts';

const PLANE = 128 * 128;

/** One crop's spectrum (3 identical channels): magnitude 1 everywhere, `dc` at [0,0]. */
function crop(dc: number, encode: (m: number) => number): Float32Array {
  const one = new Float32Array(PLANE).fill(encode(1));
  one[0] = encode(dc);
  return Float32Array.from({ length: 3 * PLANE }, (_, i) => one[i % PLANE]!);
}

test('plain and log magnitude spectra give the same centred log10 map and radial profile', () => {
  const plain = new SpectrumAccumulator(124, 'magnitude');
  plain.add(crop(100, (m) => m), 1);
  const logged = new SpectrumAccumulator(124, 'log-magnitude');
  logged.add(crop(100, (m) => Math.fround(Math.log(m + SPECTRUM_EPSILON))), 1);
  for (const acc of [plain, logged]) {
    const { size, values } = acc.centred();
    assert.equal(size, 128);
    // DC moves to the middle (fftshift); everything else stays at log10(1 + eps).
    assert.ok(Math.abs(values[64 * 128 + 64]! - Math.log10(100 + SPECTRUM_EPSILON)) < 1e-6);
    assert.ok(Math.abs(values[0]! - Math.log10(1 + SPECTRUM_EPSILON)) < 1e-6);
    const { frequency, power } = acc.radial();
    assert.equal(frequency[0], 0);
    assert.ok(Math.abs(power[0]! - 2 * Math.log10(100 + SPECTRUM_EPSILON)) < 1e-6, 'the DC ring holds only DC');
    assert.ok(Math.abs(power[1]! - 2 * Math.log10(1 + SPECTRUM_EPSILON)) < 1e-6);
    assert.ok(frequency.at(-1)! <= 0.5);
    assert.equal(acc.crops, 1);
  }
});

test('averaging weighs every crop and channel alike', () => {
  const acc = new SpectrumAccumulator(124, 'magnitude');
  acc.add(Float32Array.from([...crop(10, (m) => m), ...crop(1000, (m) => m)]), 2);
  assert.equal(acc.crops, 2);
  const mean = (Math.log10(10 + SPECTRUM_EPSILON) + Math.log10(1000 + SPECTRUM_EPSILON)) / 2;
  assert.ok(Math.abs(acc.centred().values[64 * 128 + 64]! - mean) < 1e-6);
});

test('the residual picture is a greyscale PNG stretched between its 1st and 99th percentiles', async () => {
  const h = 10;
  // Two crops; the second (the one drawn) ramps from -1 to 1 across its pixels, all channels alike.
  const residual = new Float32Array(2 * 3 * h * h);
  for (let c = 0; c < 3; c++) for (let i = 0; i < h * h; i++) residual[(3 + c) * h * h + i] = -1 + (2 * i) / (h * h - 1);
  const png = await residualPng(residual, 1, h);
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', h, h, 1]);
  const data = await sharp(png).toColourspace('b-w').raw().toBuffer();
  assert.equal(data[0], 0);
  assert.equal(data[h * h - 1], 255);
  assert.ok(data[50]! > 100 && data[50]! < 155);
});
