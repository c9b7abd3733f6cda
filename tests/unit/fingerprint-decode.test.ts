import assert from 'node:assert/strict';
import test from 'node:test';
import sharp from 'sharp';
import { decodeImage } from '../../src-engine/fingerprint/decode.ts';
import { noiseImage, noisePixels } from './helpers/noise-images.ts';

test('8-bit RGB decodes to the exact stored samples, never resized', async () => {
  const png = await noiseImage(131, 67, 3).png().toBuffer();
  const image = await decodeImage(png);
  assert.deepEqual([image.width, image.height, image.maxValue], [131, 67, 255]);
  assert.deepEqual(Buffer.from(image.samples), noisePixels(131, 67, 3));
});

test('grayscale is repeated on three channels and alpha is dropped without compositing', async () => {
  const grey = await decodeImage(await noiseImage(40, 30).toColourspace('b-w').png().toBuffer());
  const { data: expected } = await noiseImage(40, 30).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  assert.equal(grey.samples.length, 40 * 30 * 3);
  for (let i = 0; i < 40 * 30; i++) {
    assert.deepEqual([grey.samples[3 * i], grey.samples[3 * i + 1], grey.samples[3 * i + 2]], [expected[i], expected[i], expected[i]]);
  }
  // Half-transparent pixels keep their colour: the fingerprint is in the colour samples.
  const rgba = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 10, g: 120, b: 250, alpha: 0.3 } } }).png().toBuffer();
  const decoded = await decodeImage(rgba);
  assert.deepEqual(Array.from(decoded.samples.subarray(0, 6)), [10, 120, 250, 10, 120, 250]);
});

test('16-bit images keep their exact 16-bit samples (maxValue 65535); CMYK JPEG comes out as RGB', async () => {
  const raw16 = new Uint16Array(4 * 3 * 3).map((_, i) => i * 1500 + 7);
  const png16 = await sharp(raw16, { raw: { width: 4, height: 3, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
  const deep = await decodeImage(png16);
  assert.equal(deep.maxValue, 65535);
  assert.deepEqual(deep.samples, raw16);
  const grey16 = await decodeImage(await sharp(raw16, { raw: { width: 4, height: 3, channels: 3 } }).toColourspace('grey16').png().toBuffer());
  assert.deepEqual([grey16.maxValue, grey16.samples.length], [65535, 4 * 3 * 3]);
  const cmyk = await decodeImage(await noiseImage(16, 16).toColourspace('cmyk').jpeg().toBuffer());
  assert.deepEqual([cmyk.maxValue, cmyk.samples.length], [255, 16 * 16 * 3]);
});

test('damaged data is refused', async () => {
  const png = await noiseImage(64, 64).png({ compressionLevel: 0 }).toBuffer();
  await assert.rejects(decodeImage(png.subarray(0, png.length / 2)));
  await assert.rejects(decodeImage(new Uint8Array([1, 2, 3])));
});
