import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import {
  compressionClass,
  describeCondition,
  estimateJpegQuality,
  IJG_CHROMINANCE,
  IJG_LUMINANCE,
  ijgTable,
  observeCondition,
  readJpegHeaders,
  readWebp,
  type ObservedCondition,
} from '../../src-engine/conditions/observed.ts';
import { CONDITION_IDS, CONDITIONS, conditionById, targetNames, writeAllConditions, writeConditionFolder } from '../../src-engine/conditions/transform.ts';
import { listLabelledImages } from '../../src-engine/labelled-folders/embedded-folder.ts';
import { sniffFormat } from '../../src-engine/evidence/sniff.ts';
import { gradient } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const png = (width = 64, height = 64, seed = 0) => gradient(width, height, seed).png().toBuffer();
const format = async (bytes: Buffer) => (await sniffFormat(bytes, bytes.length, '')).format;

/** A deterministic stream of bytes (xorshift32). */
function pseudoRandom(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** A DQT table entry as a file stores it: Pq/Tq, then 64 values in zigzag order, 1 or 2 bytes each. */
function dqtTable(slot: number, natural: readonly number[], sixteenBit: boolean): number[] {
  const bytes = [(sixteenBit ? 0x10 : 0) | slot];
  for (let k = 0; k < 64; k++) {
    const v = natural[ZIGZAG[k]!]!;
    if (sixteenBit) bytes.push(v >> 8, v & 255);
    else bytes.push(v);
  }
  return bytes;
}

/** SOI, one DQT segment holding `tables`, SOF0 (width × height, 3 components), SOS header: no entropy data. */
function handMadeJpeg(tables: number[][], width: number, height: number): Buffer {
  const payload = tables.flat();
  const dqt = [0xff, 0xdb, (payload.length + 2) >> 8, (payload.length + 2) & 255, ...payload];
  const sof = [0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const sos = [0xff, 0xda, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0];
  return Buffer.from([0xff, 0xd8, ...dqt, ...sof, ...sos]);
}

test('each condition writes the format it names, deterministically, and downscale halves each side', async () => {
  const original = await png(64, 64, 5);
  const expected: Record<string, string> = { 'as-published': 'png', 'jpeg-q90': 'jpeg', 'jpeg-q75': 'jpeg', 'webp-q80': 'webp', 'downscale-0.5': 'png' };
  assert.deepEqual([...CONDITION_IDS], Object.keys(expected));
  for (const condition of CONDITIONS) {
    const once = await condition.transform(original);
    const again = await condition.transform(Buffer.from(original));
    assert.equal(await format(once), expected[condition.id], condition.id);
    assert.ok(once.equals(again), `${condition.id} is deterministic`);
    assert.ok(condition.label.length > 0);
  }
  assert.ok((await conditionById('as-published').transform(original)).equals(original), 'as published: bytes unchanged');

  const q90 = await observeCondition(await conditionById('jpeg-q90').transform(original));
  assert.deepEqual([q90.jpegQuality, q90.standardTables], [90, true]);
  const q75 = await observeCondition(await conditionById('jpeg-q75').transform(original));
  assert.deepEqual([q75.jpegQuality, q75.standardTables], [75, true]);
  const jpegMeta = await sharp(await conditionById('jpeg-q75').transform(original)).metadata();
  assert.equal(jpegMeta.chromaSubsampling, '4:2:0');
  const webp = await observeCondition(await conditionById('webp-q80').transform(original));
  assert.deepEqual([webp.format, webp.lossy], ['webp', true]);

  const half = await observeCondition(await conditionById('downscale-0.5').transform(original));
  assert.deepEqual([half.format, half.lossy, half.width, half.height], ['png', false, 32, 32]);
  const odd = await sharp(await conditionById('downscale-0.5').transform(await png(65, 47))).metadata();
  assert.deepEqual([odd.width, odd.height], [32, 23], 'rounded down');
  assert.throws(() => conditionById('jpeg-q10'), /unknown condition/);
});

test('the EXIF orientation is ignored: a rotated-by-EXIF JPEG keeps its stored size', async () => {
  const tagged = await gradient(40, 20, 1).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  assert.equal((await sharp(tagged).metadata()).orientation, 6);
  const half = await sharp(await conditionById('downscale-0.5').transform(tagged)).metadata();
  assert.deepEqual([half.width, half.height], [20, 10]);
  const jpeg = await sharp(await conditionById('jpeg-q90').transform(tagged)).metadata();
  assert.deepEqual([jpeg.width, jpeg.height, jpeg.orientation], [40, 20, undefined], 'stored size, and no EXIF carried over');
  const observed = await observeCondition(tagged);
  assert.deepEqual([observed.width, observed.height, observed.minSide], [40, 20, 20]);
});

test('the IJG quality of sharp-encoded JPEGs is recovered exactly, standard tables recognised', async () => {
  const image = await gradient(64, 64, 2).raw().toBuffer();
  for (const quality of [30, 50, 75, 90, 95, 100]) {
    const jpeg = await sharp(image, { raw: { width: 64, height: 64, channels: 3 } }).jpeg({ quality, mozjpeg: false }).toBuffer();
    const observed = await observeCondition(jpeg);
    assert.deepEqual(
      observed,
      { format: 'jpeg', lossy: true, jpegQuality: quality, standardTables: true, width: 64, height: 64, minSide: 64 },
      `quality ${quality}`,
    );
  }
  // Greyscale: one table only.
  const grey = await gradient(32, 32, 3).toColourspace('b-w').jpeg({ quality: 60 }).toBuffer();
  assert.deepEqual([(await observeCondition(grey)).jpegQuality, (await observeCondition(grey)).standardTables], [60, true]);
  // mozjpeg's default tables are not IJG's: the nearest quality, flagged non-standard.
  const moz = await observeCondition(await gradient(64, 64, 2).jpeg({ quality: 80, mozjpeg: true }).toBuffer());
  assert.equal(moz.standardTables, false);
  assert.ok(moz.jpegQuality !== null && moz.jpegQuality > 50 && moz.jpegQuality < 95, String(moz.jpegQuality));
});

test('libjpeg scaling: every quality gives its own table, and the known anchors hold', () => {
  assert.deepEqual(ijgTable(IJG_LUMINANCE, 50), [...IJG_LUMINANCE]);
  assert.ok(ijgTable(IJG_LUMINANCE, 100).every((v) => v === 1));
  assert.ok(ijgTable(IJG_LUMINANCE, 1).every((v) => v === 255));
  assert.equal(ijgTable(IJG_LUMINANCE, 10, false)[0], 80); // 16 * 500 / 100
  assert.equal(ijgTable(IJG_LUMINANCE, 1, false)[0], 800);
  assert.equal(ijgTable(IJG_LUMINANCE, 75)[0], 8);
  const seen = new Set<string>();
  for (let q = 1; q <= 100; q++) seen.add(ijgTable(IJG_LUMINANCE, q).join());
  assert.equal(seen.size, 100);
  for (const q of [1, 7, 24, 25, 49, 50, 51, 84, 85, 99, 100]) {
    assert.deepEqual(estimateJpegQuality([ijgTable(IJG_LUMINANCE, q), ijgTable(IJG_CHROMINANCE, q)]), { quality: q, standardTables: true }, `q ${q}`);
  }
  assert.equal(estimateJpegQuality([]), null);
  assert.equal(estimateJpegQuality([undefined, ijgTable(IJG_CHROMINANCE, 50)]), null, 'no luminance table');
});

test('16-bit tables, several tables in one DQT segment, and non-standard tables', async () => {
  // libjpeg without force_baseline at quality 10: values above 255, so 16-bit precision.
  const lum10 = ijgTable(IJG_LUMINANCE, 10, false);
  const chroma10 = ijgTable(IJG_CHROMINANCE, 10, false);
  assert.ok(Math.max(...lum10) > 255);
  const sixteen = handMadeJpeg([dqtTable(0, lum10, true), dqtTable(1, chroma10, true)], 300, 200);
  const headers = readJpegHeaders(sixteen);
  assert.deepEqual(headers?.tables, [lum10, chroma10]);
  assert.deepEqual([headers?.width, headers?.height], [300, 200]);
  const observed = await observeCondition(sixteen);
  assert.deepEqual([observed.format, observed.lossy, observed.jpegQuality, observed.standardTables], ['jpeg', true, 10, true]);
  assert.deepEqual([observed.width, observed.height, observed.minSide], [300, 200, 200]);

  // 16-bit storage of values that would fit 8 bits, mixed with an 8-bit table.
  const mixed = handMadeJpeg([dqtTable(0, ijgTable(IJG_LUMINANCE, 75), true), dqtTable(1, ijgTable(IJG_CHROMINANCE, 75), false)], 8, 8);
  assert.deepEqual([(await observeCondition(mixed)).jpegQuality, (await observeCondition(mixed)).standardTables], [75, true]);

  // A camera-like table: IJG q=92 with a few entries changed. Nearest q kept, flagged non-standard.
  const camera = ijgTable(IJG_LUMINANCE, 92);
  camera[10] = camera[10]! + 1;
  camera[63] = camera[63]! - 1;
  const nonStandard = await observeCondition(handMadeJpeg([dqtTable(0, camera, false), dqtTable(1, ijgTable(IJG_CHROMINANCE, 92), false)], 16, 16));
  assert.deepEqual([nonStandard.jpegQuality, nonStandard.standardTables], [92, false]);
  // Standard luminance but a foreign chrominance table: not the IJG tables either.
  const foreignChroma = await observeCondition(handMadeJpeg([dqtTable(0, ijgTable(IJG_LUMINANCE, 80), false), dqtTable(1, ijgTable(IJG_LUMINANCE, 80), false)], 16, 16));
  assert.deepEqual([foreignChroma.jpegQuality, foreignChroma.standardTables], [80, false]);
});

test('truncated, random and hostile bytes give null fields, never a throw', async () => {
  const jpeg = await gradient(64, 64, 4).jpeg({ quality: 75 }).toBuffer();
  const dqtAt = jpeg.indexOf(Buffer.from([0xff, 0xdb]));
  for (const cut of [0, 1, 2, 3, 4, dqtAt + 2, dqtAt + 10, dqtAt + 40]) {
    const observed = await observeCondition(jpeg.subarray(0, cut));
    assert.equal(observed.jpegQuality, null, `cut at ${cut}`);
    assert.equal(observed.standardTables, null);
  }
  // Cut after the headers but inside the entropy-coded data: the tables are all there.
  const late = await observeCondition(jpeg.subarray(0, jpeg.length - 100));
  assert.deepEqual([late.format, late.jpegQuality], ['jpeg', 75]);

  const random = await observeCondition(pseudoRandom(4096, 7));
  assert.deepEqual(random, { format: null, lossy: null, jpegQuality: null, standardTables: null, width: null, height: null, minSide: null });
  assert.deepEqual(await observeCondition(Buffer.alloc(0)), random);
  const plain = await observeCondition(await png(40, 30));
  assert.deepEqual(plain, { format: 'png', lossy: false, jpegQuality: null, standardTables: null, width: 40, height: 30, minSide: 30 });

  // Random bodies behind real signatures, and every cut of a real header: the parsers only read.
  for (let seed = 1; seed <= 300; seed++) {
    const body = pseudoRandom(200 + seed, seed);
    assert.doesNotThrow(() => readJpegHeaders(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb]), body])));
    assert.doesNotThrow(() => readWebp(Buffer.concat([Buffer.from('RIFF\x00\x10\x00\x00WEBPVP8X', 'latin1'), body])));
  }
  for (let cut = 0; cut < Math.min(jpeg.length, 700); cut++) assert.doesNotThrow(() => readJpegHeaders(jpeg.subarray(0, cut)));
  for (const seed of [3, 11, 19]) {
    const hostile = await observeCondition(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), pseudoRandom(600, seed)]));
    assert.equal(hostile.format, 'jpeg');
    assert.equal(typeof hostile.lossy, 'boolean');
  }
  // A DQT segment claiming precision 2 or slot 7 is not read; a length past the end is cut safely.
  assert.deepEqual(readJpegHeaders(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x27, ...new Array(64).fill(9)]))?.tables, []);
  assert.deepEqual(readJpegHeaders(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0xff, 0xff, 0x00, 1, 2, 3]))?.tables, []);
  assert.equal(readJpegHeaders(Buffer.from('not a jpeg')), null);
});

test('WebP: lossy, lossless, with alpha, animated', async () => {
  const lossy = await gradient(48, 32, 1).webp({ quality: 80 }).toBuffer();
  const lossless = await gradient(48, 32, 1).webp({ lossless: true }).toBuffer();
  assert.equal(lossy.toString('latin1', 12, 16), 'VP8 ');
  assert.equal(lossless.toString('latin1', 12, 16), 'VP8L');
  assert.deepEqual(await observeCondition(lossy), { format: 'webp', lossy: true, jpegQuality: null, standardTables: null, width: 48, height: 32, minSide: 32 });
  assert.deepEqual(await observeCondition(lossless), { format: 'webp', lossy: false, jpegQuality: null, standardTables: null, width: 48, height: 32, minSide: 32 });
  assert.deepEqual(readWebp(lossy), { lossy: true, width: 48, height: 32 });
  assert.deepEqual(readWebp(lossless), { lossy: false, width: 48, height: 32 });

  const alpha = gradient(20, 10, 2).ensureAlpha(0.5);
  const lossyAlpha = await alpha.clone().webp({ quality: 70 }).toBuffer();
  const losslessAlpha = await alpha.clone().webp({ lossless: true }).toBuffer();
  assert.equal(lossyAlpha.toString('latin1', 12, 16), 'VP8X');
  assert.deepEqual(readWebp(lossyAlpha), { lossy: true, width: 20, height: 10 });
  assert.equal((await observeCondition(losslessAlpha)).lossy, false);

  const frames = await Promise.all([0, 1].map((seed) => gradient(16, 16, seed).png().toBuffer()));
  const animatedLossy = await sharp(frames, { join: { animated: true } }).webp({ quality: 60 }).toBuffer();
  const animatedLossless = await sharp(frames, { join: { animated: true } }).webp({ lossless: true }).toBuffer();
  assert.ok(animatedLossy.includes(Buffer.from('ANMF')));
  assert.deepEqual(readWebp(animatedLossy), { lossy: true, width: 16, height: 16 });
  assert.deepEqual(readWebp(animatedLossless), { lossy: false, width: 16, height: 16 });
});

test('other formats: lossless TIFF/GIF, lossy AVIF', async () => {
  const tiff = await observeCondition(await gradient(24, 16).tiff({ compression: 'lzw' }).toBuffer());
  assert.deepEqual([tiff.format, tiff.lossy, tiff.width, tiff.height], ['tiff', false, 24, 16]);
  const jpegTiff = await observeCondition(await gradient(24, 16).tiff({ compression: 'jpeg' }).toBuffer());
  assert.deepEqual([jpegTiff.format, jpegTiff.lossy], ['tiff', true]);
  const gif = await observeCondition(await gradient(24, 16).gif().toBuffer());
  assert.deepEqual([gif.format, gif.lossy], ['gif', false]);
  const avif = await observeCondition(await gradient(24, 16).avif({ quality: 50 }).toBuffer());
  assert.deepEqual([avif.format, avif.lossy, avif.width, avif.height], ['avif', true, 24, 16]);
  assert.equal(compressionClass(avif), 'other-lossy');
});

test('compression classes and their boundaries', () => {
  const jpeg = (q: number | null) => compressionClass({ format: 'jpeg', lossy: true, jpegQuality: q });
  assert.equal(jpeg(100), 'jpeg-high');
  assert.equal(jpeg(85), 'jpeg-high');
  assert.equal(jpeg(84), 'jpeg-mid');
  assert.equal(jpeg(60), 'jpeg-mid');
  assert.equal(jpeg(59), 'jpeg-low');
  assert.equal(jpeg(1), 'jpeg-low');
  assert.equal(jpeg(null), 'unknown');
  assert.equal(compressionClass({ format: 'png', lossy: false, jpegQuality: null }), 'lossless');
  assert.equal(compressionClass({ format: 'webp', lossy: false, jpegQuality: null }), 'lossless');
  assert.equal(compressionClass({ format: 'webp', lossy: true, jpegQuality: null }), 'webp-lossy');
  assert.equal(compressionClass({ format: 'heic', lossy: true, jpegQuality: null }), 'other-lossy');
  assert.equal(compressionClass({ format: 'webp', lossy: null, jpegQuality: null }), 'unknown');
  assert.equal(compressionClass({ format: null, lossy: null, jpegQuality: null }), 'unknown');
});

test('descriptions in plain words', () => {
  const base: ObservedCondition = { format: null, lossy: null, jpegQuality: null, standardTables: null, width: null, height: null, minSide: null };
  const sized = { width: 512, height: 512, minSide: 512 };
  assert.equal(describeCondition({ ...base, ...sized, format: 'jpeg', lossy: true, jpegQuality: 75, standardTables: true }), 'JPEG, estimated quality 75 (standard IJG tables), 512 × 512');
  assert.equal(
    describeCondition({ ...base, width: 4032, height: 3024, minSide: 3024, format: 'jpeg', lossy: true, jpegQuality: 92, standardTables: false }),
    'JPEG, estimated quality 92 (non-standard tables, nearest IJG quality), 4032 × 3024',
  );
  assert.equal(describeCondition({ ...base, format: 'jpeg', lossy: true }), 'JPEG, quality unknown (no quantisation table found), size unknown');
  assert.equal(describeCondition({ ...base, width: 1024, height: 1024, minSide: 1024, format: 'png', lossy: false }), 'lossless PNG, 1024 × 1024');
  assert.equal(describeCondition({ ...base, ...sized, format: 'webp', lossy: true }), 'lossy WebP, 512 × 512');
  assert.equal(describeCondition({ ...base, ...sized, format: 'webp', lossy: false }), 'lossless WebP, 512 × 512');
  assert.equal(describeCondition({ ...base, ...sized, format: 'gif', lossy: false }), 'lossless GIF (palette of at most 256 colours), 512 × 512');
  assert.equal(describeCondition({ ...base, ...sized, format: 'tiff', lossy: null }), 'TIFF (lossy or lossless not known), 512 × 512');
  assert.equal(describeCondition(base), 'not a recognised image format');
});

test('a folder of generator folders is written per condition: names, order, unreadable files, progress', async (t) => {
  const root = makeTempDir(t, 'modelprint-conditions');
  const dir = path.join(root, 'published');
  fs.mkdirSync(path.join(dir, 'gen-a'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'gen-b'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.hidden'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'gen-a', '001.png'), await png(32, 32, 1));
  fs.writeFileSync(path.join(dir, 'gen-a', '002.png'), await gradient(32, 32, 2).webp({ quality: 90 }).toBuffer()); // WebP named .png
  fs.writeFileSync(path.join(dir, 'gen-a', '003.png'), pseudoRandom(500, 3)); // not an image
  fs.writeFileSync(path.join(dir, 'gen-a', 'notes.txt'), 'ignored');
  fs.writeFileSync(path.join(dir, 'gen-b', 'x-1.jpg'), await gradient(30, 20, 4).jpeg({ quality: 95 }).toBuffer());
  fs.writeFileSync(path.join(dir, 'gen-b', 'x.png'), await png(30, 20, 5));

  const progress: Array<[number, number]> = [];
  const out = path.join(root, 'q75');
  const result = await writeConditionFolder(dir, out, 'jpeg-q75', { onProgress: ({ done, total }) => progress.push([done, total]) });
  assert.equal(result.condition, 'jpeg-q75');
  assert.deepEqual(result.generators, ['gen-a', 'gen-b']);
  assert.deepEqual(result.written, [
    { from: path.join('gen-a', '001.png'), to: path.join('gen-a', '001.jpg') },
    { from: path.join('gen-a', '002.png'), to: path.join('gen-a', '002.jpg') },
    { from: path.join('gen-b', 'x-1.jpg'), to: path.join('gen-b', 'x-1.jpg') },
    { from: path.join('gen-b', 'x.png'), to: path.join('gen-b', 'x.jpg') },
  ]);
  assert.deepEqual(result.unreadable.map((u) => u.file), [path.join('gen-a', '003.png')]);
  assert.equal(result.ignored, 1);
  assert.deepEqual(progress.map(([done]) => done), [1, 2, 3, 4, 5]);
  assert.ok(progress.every(([, total]) => total === 5));
  // `evaluate` lists the copies in the order it listed the originals.
  const listed = listLabelledImages(out);
  assert.deepEqual(listed.files.map((f) => path.relative(out, f.file)), result.written.map((w) => w.to));
  assert.deepEqual(fs.readdirSync(path.join(out, 'gen-a')).sort(), ['001.jpg', '002.jpg'], 'no partial files left');
  for (const w of result.written) {
    const observed = await observeCondition(fs.readFileSync(path.join(out, w.to)));
    assert.deepEqual([observed.format, observed.jpegQuality], ['jpeg', 75], w.to);
  }

  // Deterministic across runs; refuses to write into a non-empty folder or into the source.
  const again = path.join(root, 'q75-again');
  await writeConditionFolder(dir, again, 'jpeg-q75');
  for (const w of result.written) assert.ok(fs.readFileSync(path.join(out, w.to)).equals(fs.readFileSync(path.join(again, w.to))), w.to);
  await assert.rejects(writeConditionFolder(dir, out, 'jpeg-q75'), /not empty/);
  await assert.rejects(writeConditionFolder(dir, path.join(dir, 'copy'), 'jpeg-q75'), /inside/);
  const hidden = await writeConditionFolder(dir, path.join(dir, '.hidden', 'half'), 'downscale-0.5');
  assert.equal(hidden.written.length, 4);
  assert.deepEqual(await sharp(path.join(dir, '.hidden', 'half', 'gen-b', 'x-1.png')).metadata().then((m) => [m.format, m.width, m.height]), ['png', 15, 10]);

  // As published: same names, same bytes (misnamed files stay misnamed).
  const published = await writeConditionFolder(dir, path.join(root, 'as-published'), 'as-published');
  for (const w of published.written) {
    assert.equal(w.from, w.to);
    assert.ok(fs.readFileSync(path.join(dir, w.from)).equals(fs.readFileSync(path.join(root, 'as-published', w.to))));
  }

  const controller = new AbortController();
  controller.abort(new Error('stopped by the examiner'));
  await assert.rejects(writeConditionFolder(dir, path.join(root, 'aborted'), 'webp-q80', { signal: controller.signal }), /stopped by the examiner/);
  const midway = new AbortController();
  await assert.rejects(
    writeConditionFolder(dir, path.join(root, 'midway'), 'webp-q80', { signal: midway.signal, onProgress: () => midway.abort(new Error('cancelled')) }),
    /cancelled/,
  );
  const left = fs.readdirSync(path.join(root, 'midway'), { recursive: true }).map(String);
  assert.ok(left.every((f) => !f.includes('.partial-')), left.join(', '));

  const all = await writeAllConditions(dir, path.join(root, 'all'), { conditions: ['webp-q80', 'downscale-0.5'] });
  assert.deepEqual(all.map((r) => [r.condition, r.written.length, r.unreadable.length]), [['webp-q80', 4, 1], ['downscale-0.5', 4, 1]]);
  assert.ok(fs.existsSync(path.join(root, 'all', 'webp-q80', 'gen-a', '002.webp')));
});

test('copy names keep the base name, unless that would merge or reorder files', () => {
  assert.deepEqual(targetNames(['a.png', 'b.webp'], 'jpg'), ['a.jpg', 'b.jpg']);
  assert.deepEqual(targetNames(['a.png', 'b.webp'], null), ['a.png', 'b.webp']);
  assert.deepEqual(targetNames(['a.png', 'a.webp'], 'jpg'), ['a.png.jpg', 'a.webp.jpg'], 'would merge');
  assert.deepEqual(targetNames(['a.k.png', 'a.png'], 'jpg'), ['a.k.png.jpg', 'a.png.jpg'], 'a.jpg would sort before a.k.jpg');
  assert.deepEqual(targetNames(['x.tif', 'x.tiff'], 'png'), ['x.tif.png', 'x.tiff.png']);
});
