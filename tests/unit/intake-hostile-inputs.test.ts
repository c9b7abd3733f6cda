// Intake against selections that fight back: TIFFs whose index sits after the pixels, symbolic
// links out of the selected folder, an unreadable subfolder, a file that grows while it is read,
// animated and truncated PNGs, and a WebP too short to hold an image.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { mock, test } from 'node:test';
import sharp from 'sharp';
import { checkContainer } from '../../src-engine/evidence/container-check.ts';
import { hashAndCopy } from '../../src-engine/evidence/hash-copy.ts';
import { sniffFile, sniffFormat } from '../../src-engine/evidence/sniff.ts';
import { collectFiles } from '../../src-engine/base/walk.ts';
import { analyseProvenance } from '../../src-engine/provenance/analyse.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, detailsByName, importFiles } from './helpers/test-case.ts';

/** An uncompressed TIFF as libtiff writes it: header, pixels, then the index (IFD) at the end. */
async function tiffWithIndexAtEnd(dir: string, name: string, bigtiff = false): Promise<string> {
  const raw = Buffer.alloc(200 * 200 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) & 255;
  const bytes = await sharp(raw, { raw: { width: 200, height: 200, channels: 3 } }).tiff({ compression: 'none', bigtiff } as never).toBuffer();
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A PNG with an acTL (2 frames declared) before its image data: an APNG whose first frame is the default image. */
async function writeApng(dir: string, name = 'moving.png'): Promise<string> {
  const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#336699' } }).png().toBuffer();
  const ihdrEnd = 8 + 25;
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(2, 0);
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([png.subarray(0, ihdrEnd), chunk('acTL', actl), png.subarray(ihdrEnd)]));
  return file;
}

test('a TIFF whose index follows its pixels is an image to intake and provenance alike', async (t) => {
  const dir = makeTempDir(t, 'modelprint-tiff');
  const classic = await tiffWithIndexAtEnd(dir, 'scan.tif');
  const big = await tiffWithIndexAtEnd(dir, 'big.tiff', true);
  const bytes = fs.readFileSync(classic);
  assert.ok(bytes.readUInt32LE(4) > 64 * 1024, 'the IFD lies past the first 64 KiB');
  assert.equal((await sniffFormat(bytes.subarray(0, 64 * 1024), bytes.length, 'scan.tif')).kind, 'rejected', 'the old head-only sniff');
  for (const file of [classic, big]) {
    const sniffed = await sniffFile(file, fs.statSync(file).size, path.basename(file));
    assert.equal(sniffed.kind, 'image', file);
    assert.equal(sniffed.format, 'tiff');
    assert.equal(sniffed.extensionMatches, true);
    const report = await analyseProvenance(file, { format: 'tiff', extension: path.extname(file).slice(1) });
    assert.ok(!report.anomalies.some((a) => a.code === 'extension_mismatch'), `${file}: ${JSON.stringify(report.anomalies)}`);
  }
  const { handle } = createTestCase(t);
  const outcome = await importFiles(handle, [classic, big]);
  assert.equal(outcome.counts.imported, 2, JSON.stringify(outcome));
  const details = detailsByName(handle);
  assert.equal(details.get('scan.tif')!.format, 'tiff');
  assert.equal(details.get('big.tiff')!.status, 'analysable');
});

test('symbolic links are recorded with their targets, never followed out of the selection', async (t) => {
  const outside = makeTempDir(t, 'modelprint-outside');
  await writeSample.png(outside, 'elsewhere.png', 3);
  fs.writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  const selected = makeTempDir(t, 'modelprint-selected');
  await writeSample.png(selected, 'inside.png', 1);
  fs.mkdirSync(path.join(selected, 'sub'));
  await writeSample.jpeg(path.join(selected, 'sub'), 'deep.jpg');
  fs.symlinkSync(path.join(outside, 'passwd'), path.join(selected, 'passwd-link'));
  fs.symlinkSync(outside, path.join(selected, 'folder-link'));
  fs.symlinkSync('/', path.join(selected, 'root-link'));
  fs.symlinkSync(path.join(selected, 'sub'), path.join(selected, 'sub-link'));
  fs.symlinkSync(path.join(selected, 'inside.png'), path.join(selected, 'inside-link.png'));
  fs.symlinkSync(path.join(selected, 'nothing'), path.join(selected, 'dangling'));

  const walked = await collectFiles([selected]);
  assert.deepEqual(walked.files.map((f) => path.relative(selected, f)).sort(), ['inside.png', path.join('sub', 'deep.jpg')]);
  const byName = new Map(walked.links.map((l) => [path.basename(l.path), l]));
  assert.deepEqual([...byName.keys()].sort(), ['dangling', 'folder-link', 'inside-link.png', 'passwd-link', 'root-link', 'sub-link']);
  assert.equal(byName.get('passwd-link')!.target, path.join(outside, 'passwd'));
  assert.match(byName.get('root-link')!.reason, /out of the selected folders/);
  assert.match(byName.get('dangling')!.reason, /dangling/);

  // Following is an option, and only for links that stay inside the selection (each real folder
  // is still walked once: sub-link leads to sub, already walked).
  const following = await collectFiles([selected], undefined, { links: 'follow-inside' });
  assert.deepEqual(following.files.map((f) => path.relative(selected, f)).sort(), ['inside-link.png', 'inside.png', path.join('sub', 'deep.jpg')]);
  assert.deepEqual(following.links.map((l) => path.basename(l.path)).sort(), ['dangling', 'folder-link', 'passwd-link', 'root-link']);

  const { handle } = createTestCase(t);
  const outcome = await importFiles(handle, [selected]);
  assert.equal(outcome.counts.imported, 2);
  assert.equal(outcome.counts.failed, 0);
  assert.equal(outcome.links.length, 6);
  assert.deepEqual([...detailsByName(handle).keys()].sort(), ['deep.jpg', 'inside.png']);
  const started = handle.db.prepare("SELECT details FROM audit_log WHERE action = 'import.started'").get() as { details: string };
  const recorded = JSON.parse(started.details).linksNotFollowed as Array<{ path: string; target: string }>;
  assert.ok(recorded.some((l) => l.path === path.join(selected, 'passwd-link') && l.target === path.join(outside, 'passwd')));

  // A link the examiner selects is their choice, and is followed.
  const direct = await collectFiles([path.join(selected, 'inside-link.png')]);
  assert.equal(direct.files.length, 1);
});

test('an unreadable subfolder is recorded as unreadable and the rest still imports', async (t) => {
  const selected = makeTempDir(t, 'modelprint-selected');
  await writeSample.png(selected, 'a.png', 1);
  fs.mkdirSync(path.join(selected, 'locked'));
  await writeSample.png(path.join(selected, 'locked'), 'hidden.png', 2);
  fs.mkdirSync(path.join(selected, 'open'));
  await writeSample.jpeg(path.join(selected, 'open'), 'b.jpg');
  // Tests may run as root, which chmod cannot lock out: the refusal is the one readdir would give.
  const locked = path.join(selected, 'locked');
  const original = fs.promises.readdir;
  mock.method(fs.promises, 'readdir', (async (dir: string, ...rest: unknown[]) => {
    if (dir === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
    return (original as (...a: unknown[]) => Promise<unknown>)(dir, ...rest);
  }) as never);
  t.after(() => mock.restoreAll());
  const { handle } = createTestCase(t);
  const outcome = await importFiles(handle, [selected]);
  mock.restoreAll();
  assert.equal(outcome.counts.imported, 2);
  assert.equal(outcome.counts.failed, 1);
  assert.equal(outcome.failures[0]!.path, locked);
  assert.match(outcome.failures[0]!.message, /folder cannot be read: EACCES/);
  const finished = handle.db.prepare("SELECT details FROM audit_log WHERE action = 'import.finished'").get() as { details: string };
  assert.equal(JSON.parse(finished.details).failures[0].path, locked);
});

test('a file that changes while it is read is stored as a snapshot, and custody says so', async (t) => {
  const dir = makeTempDir(t, 'modelprint-growing');
  const file = await writeSample.png(dir, 'growing.png', 4);
  const copyTo = path.join(dir, 'copy.part');
  // Appends to the file as soon as the copy has its first chunk: a download still in progress.
  const original = fs.promises.open;
  mock.method(fs.promises, 'open', (async (p: string, ...rest: unknown[]) => {
    const handle = await (original as (...a: unknown[]) => Promise<fs.promises.FileHandle>)(p, ...rest);
    if (p === file) {
      const read = handle.read.bind(handle);
      let grown = false;
      (handle as { read: unknown }).read = async (...args: unknown[]) => {
        const result = await (read as (...a: unknown[]) => Promise<{ bytesRead: number }>)(...args);
        if (!grown) {
          grown = true;
          fs.appendFileSync(file, Buffer.alloc(4096, 1));
        }
        return result;
      };
    }
    return handle;
  }) as never);
  t.after(() => mock.restoreAll());
  const copy = await hashAndCopy(file, copyTo);
  assert.match(copy.changed ?? '', /changed while it was read/);
  fs.rmSync(copyTo);

  const { handle } = createTestCase(t);
  const outcome = await importFiles(handle, [file]);
  mock.restoreAll();
  assert.equal(outcome.warnings.length, 1);
  assert.match(outcome.warnings[0]!.message, /snapshot: the file changed while it was read/);
  const received = handle.db.prepare("SELECT details FROM custody_events WHERE action = 'received'").get() as { details: string };
  assert.match(JSON.parse(received.details).changedWhileRead, /changed while it was read/);
  const audited = handle.db.prepare("SELECT details FROM audit_log WHERE action = 'evidence.received'").get() as { details: string };
  assert.match(JSON.parse(audited.details).changedWhileRead, /changed while it was read/);

  // An unchanged file says nothing of the kind.
  const still = await writeSample.png(dir, 'still.png', 5);
  assert.equal((await hashAndCopy(still, copyTo)).changed, null);
});

test('an APNG is accepted (first frame analysed, animation noted); a PNG without IEND is truncated', async (t) => {
  const dir = makeTempDir(t, 'modelprint-png');
  const apng = await writeApng(dir);
  const whole = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).png().toBuffer();
  const noIend = path.join(dir, 'no-iend.png');
  fs.writeFileSync(noIend, whole.subarray(0, whole.length - 12));
  assert.equal((await sharp(noIend).png().toBuffer()).length > 0, true, 'a decoder takes it for whole');
  assert.deepEqual(await checkContainer(apng, 'png'), { truncated: null, animated: true, frames: 2 });
  assert.match((await checkContainer(noIend, 'png')).truncated ?? '', /without its IEND chunk/);

  const { handle } = createTestCase(t);
  await importFiles(handle, [apng, noIend]);
  const details = detailsByName(handle);
  const moving = details.get('moving.png')!;
  assert.equal(moving.status, 'analysable');
  assert.equal(moving.format, 'png');
  assert.equal(moving.extensionMatches, true);
  const received = handle.db.prepare("SELECT details FROM custody_events WHERE action = 'received' AND item_id = ?").get(moving.id) as { details: string };
  assert.deepEqual(JSON.parse(received.details).notes, ['animated PNG (APNG, 2 frames): the first frame is analysed']);
  const cut = details.get('no-iend.png')!;
  assert.equal(cut.status, 'not_analysable');
  assert.equal(cut.reasonCode, 'corrupt');
  assert.match(cut.reason ?? '', /truncated/);
});

test("a 12-byte WebP is too short to be an image, and its reason says so (no other format's decoder)", async (t) => {
  const dir = makeTempDir(t, 'modelprint-webp');
  const tiny = path.join(dir, 'tiny.webp');
  const header = Buffer.from('RIFF\x04\x00\x00\x00WEBP', 'latin1');
  fs.writeFileSync(tiny, header);
  assert.equal(header.length, 12);
  const { handle } = createTestCase(t);
  await importFiles(handle, [tiny]);
  const item = detailsByName(handle).get('tiny.webp')!;
  assert.equal(item.status, 'not_analysable');
  assert.match(item.reason ?? '', /WebP is only 12 bytes/);
  assert.doesNotMatch(item.reason ?? '', /jpeg/i);
});

test("intake records the source file's own times, read before its bytes", async (t) => {
  const dir = makeTempDir(t, 'source-times');
  const file = path.join(dir, 'dated.png');
  fs.writeFileSync(file, 'not really a png');
  const when = new Date('2024-05-06T07:08:09.000Z');
  fs.utimesSync(file, when, when);
  const copy = await hashAndCopy(file, path.join(dir, 'copy'));
  assert.equal(copy.sourceTimes.modifiedUtc, '2024-05-06T07:08:09.000Z');
  assert.equal(copy.sourceTimes.accessedUtc, '2024-05-06T07:08:09.000Z', 'the access time from before the read');
  assert.match(copy.sourceTimes.changedUtc, /^\d{4}-\d\d-\d\dT/);
  assert.ok(copy.sourceTimes.bornUtc === null || /^\d{4}-/.test(copy.sourceTimes.bornUtc));
});
