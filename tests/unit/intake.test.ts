import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import type { EvidenceDetail } from '../../src-engine/api/contract.ts';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { THUMBNAIL_SIZE } from '../../src-engine/evidence/probe.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { writeSample } from './helpers/sample-images.ts';
import { assertEveryRowIsWhole, findOrphans, sha256OfFile } from './helpers/store-inspection.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { allDetails, createTestCase, detailsByName, importFiles, tableCount } from './helpers/test-case.ts';

const EXPECTED_FIXTURES: Record<string, { format: string; width: number; height: number; extensionMatches: boolean }> = {
  sd15: { format: 'png', width: 512, height: 512, extensionMatches: true },
  sdxl: { format: 'png', width: 1024, height: 1024, extensionMatches: true },
  'animagine-xl-lora': { format: 'png', width: 832, height: 1216, extensionMatches: true },
  'realcartoon-xl-lora': { format: 'png', width: 768, height: 1024, extensionMatches: true },
  dalle2: { format: 'webp', width: 1024, height: 1024, extensionMatches: false },
};

function hashesOf(files: readonly string[]): Map<string, string> {
  return new Map(files.map((f) => [f, sha256OfFile(f)]));
}

function filesIn(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function emptyOrphans(): ReturnType<typeof findOrphans> {
  return { evidence: [], thumbnails: [], tmp: [] };
}

test('the generated fixtures import as 14 analysable images with their facts and thumbnails', async (t) => {
  const { handle } = createTestCase(t);
  const originals = filesIn(generatedFixturesDir);
  const before = hashesOf(originals);

  const outcome = await importFiles(handle, [generatedFixturesDir]);

  assert.deepEqual(outcome.counts, { imported: 14, notAnalysable: 0, duplicates: 0, alreadyInCase: 0, failed: 0 });
  assert.equal(outcome.cancelled, false);
  const items = allDetails(handle);
  assert.equal(items.length, 14);
  for (const item of items) {
    const generator = path.basename(path.dirname(item.originalPath));
    const expected = EXPECTED_FIXTURES[generator];
    assert.ok(expected, `unexpected fixture folder ${generator}`);
    assert.equal(item.status, 'analysable', item.originalPath);
    assert.equal(item.format, expected.format, item.originalPath);
    assert.equal(item.extension, 'png');
    assert.equal(item.extensionMatches, expected.extensionMatches, item.originalPath);
    assert.equal(item.width, expected.width, item.originalPath);
    assert.equal(item.height, expected.height, item.originalPath);
    assert.equal(item.bitDepth, 8);
    assert.equal(item.md5.length, 32);
    assert.equal(item.sha256, before.get(item.originalPath));
    assert.equal(item.custody[0]?.action, 'received');
    assert.equal(item.custody[0]?.details.sourcePath, item.originalPath);

    const stored = handle.store.evidencePath(item.sha256);
    assert.deepEqual(fs.readFileSync(stored), fs.readFileSync(item.originalPath), 'the stored copy is byte-identical');
    assert.equal(fs.statSync(stored).mode & 0o777, 0o444, 'the stored copy is read-only');
    const thumb = await sharp(handle.store.thumbnailPath(item.sha256)).metadata();
    assert.equal(thumb.format, 'webp');
    assert.equal(Math.max(thumb.width ?? 0, thumb.height ?? 0), THUMBNAIL_SIZE);
  }
  assert.deepEqual(hashesOf(originals), before, 'the originals are unchanged');
  assertEveryRowIsWhole(handle);
  assert.deepEqual(findOrphans(handle), emptyOrphans());
  assert.equal(verifyAuditChain(handle.db).ok, true);
});

interface Expectation {
  status: EvidenceDetail['status'];
  reasonCode?: EvidenceDetail['reasonCode'];
  reason?: RegExp;
  facts?: Partial<Pick<EvidenceDetail, 'format' | 'extensionMatches' | 'width' | 'height' | 'channels' | 'bitDepth' | 'hasAlpha' | 'colorSpace' | 'mime' | 'hasThumbnail'>>;
}

test('every kind of received file is recorded, analysable or not, with the right facts and reason', async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-samples');
  await Promise.all([
    writeSample.webp(dir, 'webp-in-disguise.png'),
    writeSample.png(dir),
    writeSample.png16(dir),
    writeSample.grayscale(dir),
    writeSample.rgba(dir),
    writeSample.jpeg(dir),
    writeSample.avif(dir),
    writeSample.tiff(dir),
    writeSample.gif(dir),
    writeSample.empty(dir),
    writeSample.text(dir),
    writeSample.truncatedPng(dir),
    writeSample.fakeHeic(dir),
    writeSample.pixelBomb(dir),
  ]);
  const expectations: Record<string, Expectation> = {
    'plain.png': { status: 'analysable', facts: { format: 'png', extensionMatches: true, width: 64, height: 48, channels: 3, bitDepth: 8, hasAlpha: false, hasThumbnail: true } },
    'deep.png': { status: 'analysable', facts: { format: 'png', bitDepth: 16, channels: 3 } },
    'grey.png': { status: 'analysable', facts: { format: 'png', channels: 1, bitDepth: 8, colorSpace: 'b-w', hasAlpha: false } },
    'alpha.png': { status: 'analysable', facts: { format: 'png', channels: 4, hasAlpha: true } },
    'photo.jpg': { status: 'analysable', facts: { format: 'jpeg', mime: 'image/jpeg', extensionMatches: true } },
    'picture.avif': { status: 'analysable', facts: { format: 'avif', extensionMatches: true, width: 64, height: 48 } },
    'scan.tiff': { status: 'analysable', facts: { format: 'tiff', extensionMatches: true, width: 64, height: 48 } },
    'anim.gif': { status: 'analysable', facts: { format: 'gif', extensionMatches: true, width: 64, height: 48 } },
    'webp-in-disguise.png': { status: 'analysable', facts: { format: 'webp', mime: 'image/webp', extensionMatches: false, width: 64, height: 48 } },
    'empty.png': { status: 'not_analysable', reasonCode: 'empty', facts: { format: null, hasThumbnail: false } },
    'notes.jpg': { status: 'not_analysable', reasonCode: 'not_image', facts: { format: null, extensionMatches: false } },
    'truncated.png': { status: 'not_analysable', reasonCode: 'corrupt', facts: { format: 'png', width: 256, hasThumbnail: false } },
    'IMG_0001.heic': { status: 'not_analysable', reasonCode: 'unsupported_format', reason: /HEIC/, facts: { format: 'heic', extensionMatches: true } },
    'bomb.png': { status: 'not_analysable', reasonCode: 'too_many_pixels', reason: /MP/, facts: { width: 10_001, height: 10_000, hasThumbnail: false } },
  };

  const outcome = await importFiles(handle, [dir]);

  assert.deepEqual(outcome.counts, { imported: 9, notAnalysable: 5, duplicates: 0, alreadyInCase: 0, failed: 0 });
  const items = detailsByName(handle);
  assert.deepEqual([...items.keys()].sort(), Object.keys(expectations).sort());
  for (const [name, expected] of Object.entries(expectations)) {
    const item = items.get(name)!;
    assert.equal(item.status, expected.status, name);
    assert.equal(item.reasonCode, expected.reasonCode ?? null, name);
    if (expected.status === 'not_analysable') assert.ok(item.reason, `${name} says why it is not analysable`);
    if (expected.reason) assert.match(item.reason ?? '', expected.reason, name);
    for (const [fact, value] of Object.entries(expected.facts ?? {})) {
      assert.equal(item[fact as keyof EvidenceDetail], value, `${name}: ${fact}`);
    }
  }
  // Files that cannot be analysed are still kept, hashed and read-only in the store.
  assertEveryRowIsWhole(handle);
  assert.deepEqual(findOrphans(handle), emptyOrphans());
});

test('the same bytes from another path are one item with a duplicate_received custody event', async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-dups');
  const first = await writeSample.png(dir, 'first.png');
  fs.mkdirSync(path.join(dir, 'copy'));
  const second = path.join(dir, 'copy', 'second.png');
  fs.copyFileSync(first, second);

  const outcome = await importFiles(handle, [first, second]);

  assert.deepEqual(outcome.counts, { imported: 1, notAnalysable: 0, duplicates: 1, alreadyInCase: 0, failed: 0 });
  const [item] = allDetails(handle);
  assert.equal(tableCount(handle, 'evidence_items'), 1);
  // Files are prepared in parallel but recorded in selection order: the first path is the original.
  assert.equal(item?.originalPath, first);
  assert.deepEqual(item?.custody.map((c) => c.action), ['received', 'duplicate_received']);
  assert.equal(item?.custody[1]?.details.sourcePath, second);
  assert.equal(item?.custody[1]?.details.sha256, item?.sha256);
});

test('the same selection gives the same items, in the same order, in any case', async (t) => {
  const dir = makeTempDir(t, 'modelprint-order');
  // Files of very different sizes finish preparing out of order.
  const big = path.join(dir, 'a-big.png');
  await sharp({ create: { width: 1536, height: 1536, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toFile(big);
  const small = await writeSample.png(dir, 'b-small.png');
  fs.copyFileSync(big, path.join(dir, 'c-copy-of-big.png'));
  const selection = [dir, generatedFixturesDir];
  const summaries = [];
  for (const number of ['ORDER-1', 'ORDER-2']) {
    const { handle } = createTestCase(t, number);
    await importFiles(handle, selection);
    summaries.push(allDetails(handle).map((d) => [d.id, d.originalPath, d.sha256, d.custody.map((c) => c.action).join('+')]));
  }
  assert.deepEqual(summaries[0], summaries[1]);
  assert.deepEqual(summaries[0]?.slice(0, 2).map((s) => s[1]), [big, small]);
});

test('running the same import again adds no items or custody events', async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-rerun');
  await writeSample.png(dir, 'a.png', 1);
  await writeSample.png(dir, 'b.png', 2);
  fs.copyFileSync(path.join(dir, 'a.png'), path.join(dir, 'a-copy.png'));
  await importFiles(handle, [dir]);
  const rows = { items: tableCount(handle, 'evidence_items'), custody: tableCount(handle, 'custody_events') };

  const again = await importFiles(handle, [dir]);

  assert.deepEqual(again.counts, { imported: 0, notAnalysable: 0, duplicates: 0, alreadyInCase: 3, failed: 0 });
  assert.deepEqual({ items: tableCount(handle, 'evidence_items'), custody: tableCount(handle, 'custody_events') }, rows);
  assert.deepEqual(rows, { items: 2, custody: 3 });
  assert.equal(verifyAuditChain(handle.db).ok, true);
});

test('paths that cannot be read are reported as failures, the rest still imports', async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-unreadable');
  const good = await writeSample.png(dir);
  const absent = path.join(dir, 'no-such-file.png');

  const outcome = await importFiles(handle, [good, absent]);

  assert.equal(outcome.counts.imported, 1);
  assert.equal(outcome.counts.failed, 1);
  assert.equal(outcome.failures[0]?.path, absent);
  assert.match(outcome.failures[0]?.message ?? '', /ENOENT/);
  const finished = handle.db.prepare("SELECT details FROM audit_log WHERE action = 'import.finished'").get() as { details: string };
  assert.equal(JSON.parse(finished.details).failures[0].path, absent, 'the audit log keeps the failure');
});

test('cancelling mid-import leaves a consistent case that a later import completes', async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-cancel');
  const FILES = 40;
  for (let i = 0; i < FILES; i++) await writeSample.png(dir, `img-${String(i).padStart(3, '0')}.png`, i);
  const controller = new AbortController();

  const outcome = await importFiles(handle, [dir], {
    signal: controller.signal,
    onProgress: (p) => {
      if (p.done >= 5) controller.abort();
    },
  });

  assert.equal(outcome.cancelled, true);
  const committed = tableCount(handle, 'evidence_items');
  assert.ok(committed >= 5 && committed < FILES, `${committed} items committed before the cancel took effect`);
  assert.equal(outcome.counts.imported, committed);
  assertEveryRowIsWhole(handle);
  assert.deepEqual(findOrphans(handle), emptyOrphans());
  const last = handle.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string };
  assert.equal(last.action, 'import.cancelled');
  assert.equal(verifyAuditChain(handle.db).ok, true);

  const resumed = await importFiles(handle, [dir]);
  assert.equal(resumed.counts.imported, FILES - committed);
  assert.equal(resumed.counts.alreadyInCase, committed);
  assert.equal(tableCount(handle, 'evidence_items'), FILES);
  assertEveryRowIsWhole(handle);
});
