// The evidence list streamed item by item is byte for byte the document rendered whole, and the
// hash recorded for it is the hash of what was written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { buildEvidenceList, renderEvidenceList } from '../../src-engine/export/evidence-list.ts';
import { streamEvidenceList, streamEvidenceListToFile } from '../../src-engine/export/evidence-stream.ts';
import { bookmarkItems } from '../../src-engine/cases/item-bookmarks.ts';
import { tagItems } from '../../src-engine/cases/item-tags.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles } from './helpers/test-case.ts';

const STAMP = /"exportedUtc": "[^"]+"/;
const sameStamp = (text: string) => text.replace(STAMP, '"exportedUtc": "T"');

async function streamed(db: Parameters<typeof streamEvidenceList>[0], format: 'json' | 'csv'): Promise<{ text: string; sha256: string; bytes: number; chunks: number }> {
  const chunks: string[] = [];
  const result = await streamEvidenceList(db, format, (chunk) => void chunks.push(chunk));
  return { text: chunks.join(''), ...result, chunks: chunks.length };
}

test('the streamed evidence list is the rendered one, item by item', async (t) => {
  const { handle } = createTestCase(t);
  for (const format of ['json', 'csv'] as const) {
    const empty = await streamed(handle.db, format);
    assert.equal(sameStamp(empty.text), sameStamp(renderEvidenceList(buildEvidenceList(handle.db), format)), `${format}, no items`);
  }
  const dir = makeTempDir(t, 'modelprint-stream');
  await writeSample.png(dir, '=1+2.png', 1);
  await writeSample.jpeg(dir, 'photo "quoted", name.jpg');
  await writeSample.text(dir, 'notes.jpg');
  await importFiles(handle, [dir]);
  for (const format of ['json', 'csv'] as const) {
    const out = await streamed(handle.db, format);
    assert.equal(sameStamp(out.text), sameStamp(renderEvidenceList(buildEvidenceList(handle.db), format)), format);
    assert.equal(out.sha256, createHash('sha256').update(out.text, 'utf8').digest('hex'));
    assert.equal(out.bytes, Buffer.byteLength(out.text));
    assert.ok(out.chunks >= 4, 'written in pieces, not as one document');
  }
  const parsed = JSON.parse((await streamed(handle.db, 'json')).text);
  assert.equal(parsed.items.length, 3);

  const file = path.join(dir, 'list.csv');
  const written = await streamEvidenceListToFile(handle.db, 'csv', file);
  assert.equal(written.sha256, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  await assert.rejects(streamEvidenceListToFile(handle.db, 'csv', file), /EEXIST/, 'never over an existing file');
});

test("the CSV list carries the examiner's tags and bookmarks", async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t, 'modelprint-stream-marks');
  await writeSample.png(dir, 'a.png', 1);
  await writeSample.png(dir, 'b.png', 2);
  await importFiles(handle, [dir]);
  tagItems(handle.db, 'tester', [1], 'seen, twice; again', false);
  tagItems(handle.db, 'tester', [1], 'suspicious', false);
  bookmarkItems(handle.db, 'tester', [2], 'the key exhibit', false);
  const [header, first, second] = (await streamed(handle.db, 'csv')).text.trimEnd().split('\r\n');
  assert.match(header!, /,tags,bookmarked,bookmark_comment$/);
  assert.match(first!, /,"\[""seen, twice; again"",""suspicious""\]",false,$/);
  assert.match(second!, /,,true,the key exhibit$/);
});
