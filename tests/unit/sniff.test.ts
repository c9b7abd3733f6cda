import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import { extensionOf, sniffFormat } from '../../src-engine/evidence/sniff.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

test('each decodable format is recognised from its bytes, whatever the name says', async (t) => {
  const dir = makeTempDir(t, 'modelprint-sniff');
  const samples = {
    png: await writeSample.png(dir),
    jpeg: await writeSample.jpeg(dir),
    webp: await writeSample.webp(dir),
    avif: await writeSample.avif(dir),
    tiff: await writeSample.tiff(dir),
    gif: await writeSample.gif(dir),
  };
  for (const [format, file] of Object.entries(samples)) {
    const bytes = fs.readFileSync(file);
    const named = await sniffFormat(bytes, bytes.length, `evidence.${format === 'jpeg' ? 'jpg' : format}`);
    assert.equal(named.kind, 'image', format);
    assert.equal(named.format, format);
    assert.equal(named.extensionMatches, true, format);
    const misnamed = await sniffFormat(bytes, bytes.length, 'evidence.bmp');
    assert.equal(misnamed.format, format, `${format} named .bmp is still ${format}`);
    assert.equal(misnamed.extensionMatches, false);
    assert.equal(misnamed.extension, 'bmp');
  }
});

test('every spelling of an extension counts as a match, in any case', async (t) => {
  const dir = makeTempDir(t, 'modelprint-sniff');
  const jpeg = fs.readFileSync(await writeSample.jpeg(dir));
  for (const name of ['a.jpg', 'a.JPEG', 'a.jpe', 'a.Jfif']) {
    assert.equal((await sniffFormat(jpeg, jpeg.length, name)).extensionMatches, true, name);
  }
  assert.equal(extensionOf('archive.tar.GZ'), 'gz');
  assert.equal(extensionOf('README'), '');
});

test('rejections say why: empty, not an image, HEIC, other image formats', async () => {
  const text = Buffer.from('hello, not an image');
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
  // A BMP header: "BM", file size, reserved, pixel offset, then a BITMAPINFOHEADER.
  const bmp = Buffer.alloc(64);
  bmp.write('BM', 0);
  bmp.writeUInt32LE(64, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(64)]);

  const cases = [
    { bytes: Buffer.alloc(0), name: 'x.png', reasonCode: 'empty', reason: /empty/ },
    { bytes: text, name: 'x.jpg', reasonCode: 'not_image', reason: /not a recognised image/ },
    { bytes: pdf, name: 'x.png', reasonCode: 'not_image', reason: /application\/pdf/ },
    { bytes: heic, name: 'IMG_1.HEIC', reasonCode: 'unsupported_format', reason: /HEIC/ },
    { bytes: bmp, name: 'x.bmp', reasonCode: 'unsupported_format', reason: /BMP.*not supported/ },
  ] as const;
  for (const c of cases) {
    const result = await sniffFormat(c.bytes, c.bytes.length, c.name);
    assert.equal(result.kind, 'rejected', c.name);
    if (result.kind !== 'rejected') continue;
    assert.equal(result.reasonCode, c.reasonCode, c.name);
    assert.match(result.reason, c.reason, c.name);
  }
  const heicResult = await sniffFormat(heic, heic.length, 'IMG_1.HEIC');
  assert.equal(heicResult.format, 'heic');
  assert.equal(heicResult.extensionMatches, true);
});
