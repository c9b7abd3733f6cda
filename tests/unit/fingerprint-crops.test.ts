import assert from 'node:assert/strict';
import test from 'node:test';
import { axisOffsets, centreCropIndex, CROP, CROP_VALUES, cropLayout, extractCrops } from '../../src-engine/fingerprint/crops.ts';
import type { DecodedImage } from '../../src-engine/fingerprint/decode.ts';

test('offsets per axis follow docs/methods.md §1.4, degenerate strides deduplicated', () => {
  const cases: Array<[number, number[]]> = [
    [64, [-32]], // centred, 32 px of zero padding on each side
    [127, [0]], // (128 - 127) // 2 = 0: the missing column is padded at the end
    [128, [0]],
    [129, [0]], // stride 0
    [130, [0, 1, 2]], // stride 1
    [131, [0, 1, 2]],
    [200, [0, 36, 72]],
    [300, [0, 86, 172]],
    [1024, [0, 448, 896]],
  ];
  for (const [side, expected] of cases) assert.deepEqual(axisOffsets(side), expected, `side ${side}`);
});

test('the layout is a row-major grid whose crops stay inside the image and reach its far edges', () => {
  assert.equal(cropLayout(1024, 1024).length, 9);
  assert.equal(cropLayout(128, 128).length, 1);
  assert.equal(cropLayout(129, 131).length, 3);
  assert.deepEqual(cropLayout(300, 200), [
    { x: 0, y: 0 }, { x: 86, y: 0 }, { x: 172, y: 0 },
    { x: 0, y: 36 }, { x: 86, y: 36 }, { x: 172, y: 36 },
    { x: 0, y: 72 }, { x: 86, y: 72 }, { x: 172, y: 72 },
  ]);
  for (const [w, h] of [[1024, 1024], [300, 200], [131, 1000], [10_000, 7_000]] as const) {
    for (const { x, y } of cropLayout(w, h)) assert.ok(x >= 0 && y >= 0 && x + CROP <= w && y + CROP <= h, `${w}x${h} at ${x},${y}`);
    const last = cropLayout(w, h).at(-1)!;
    // Odd leftovers may leave one column or row uncovered at the far side, as in the reference.
    assert.ok(w - (last.x + CROP) <= 1 && h - (last.y + CROP) <= 1, `${w}x${h} reaches the corner`);
  }
  // Small on one side only: one padded row of crops along the other.
  assert.deepEqual(cropLayout(300, 64), [{ x: 0, y: -32 }, { x: 86, y: -32 }, { x: 172, y: -32 }]);
  assert.equal(centreCropIndex(1024, 1024), 4);
  assert.equal(centreCropIndex(300, 64), 1);
  assert.equal(centreCropIndex(64, 64), 0);
});

function image(width: number, height: number, value: (x: number, y: number, c: number) => number): DecodedImage {
  const samples = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) samples[(y * width + x) * 3 + c] = value(x, y, c);
  return { width, height, samples, maxValue: 255 };
}

test('crops are CHW floats in [0, 1] taken at the layout origins, never resampled', () => {
  const img = image(300, 200, (x, y, c) => (x + 2 * y + 50 * c) % 256);
  const { crops, count } = extractCrops(img);
  assert.equal(count, 9);
  assert.equal(crops.length, 9 * CROP_VALUES);
  const at = (n: number, c: number, i: number, j: number) => crops[n * CROP_VALUES + (c * CROP + i) * CROP + j]!;
  cropLayout(300, 200).forEach(({ x, y }, n) => {
    for (const [c, i, j] of [[0, 0, 0], [1, 5, 127], [2, 127, 3]] as const) {
      assert.equal(at(n, c, i, j), Math.fround(((x + j + 2 * (y + i) + 50 * c) % 256) / 255));
    }
  });
});

test('images smaller than a crop are centred in zeros; 16-bit samples are divided by 65535', () => {
  const small = image(64, 100, () => 255);
  const { crops, count } = extractCrops(small);
  assert.equal(count, 1);
  const row = (i: number) => Array.from(crops.subarray(i * CROP, (i + 1) * CROP));
  // Columns 32..95 hold the image, rows 14..113 (offset (128 - 100) // 2 = 14).
  assert.deepEqual(row(0), new Array(CROP).fill(0));
  assert.deepEqual(row(14), [...new Array(32).fill(0), ...new Array(64).fill(1), ...new Array(32).fill(0)]);
  assert.deepEqual(row(113), row(14));
  assert.deepEqual(row(114), new Array(CROP).fill(0));
  const deep: DecodedImage = { width: 128, height: 128, samples: new Uint16Array(128 * 128 * 3).fill(65535 / 5), maxValue: 65535 };
  assert.equal(extractCrops(deep).crops[0], Math.fround(0.2));
});
