import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ContentStore } from '../../src-engine/base/content-store.ts';
import { listStore } from './helpers/store-inspection.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function stagedFile(store: ContentStore, content: string): string {
  const file = path.join(store.tmpDir, `${content}.part`);
  fs.writeFileSync(file, content);
  return file;
}

test('placed evidence lands under its hash prefix, read-only, and leaves nothing in tmp', (t) => {
  const store = new ContentStore(makeTempDir(t, 'modelprint-store'));
  store.placeEvidence(stagedFile(store, 'alpha'), SHA_A);
  store.placeThumbnail(SHA_A, new Uint8Array([1, 2, 3]));

  const stored = store.evidencePath(SHA_A);
  assert.equal(path.relative(store.root, stored), path.join('evidence', 'aa', SHA_A));
  assert.equal(fs.readFileSync(stored, 'utf8'), 'alpha');
  assert.equal(fs.statSync(stored).mode & 0o777, 0o444);
  assert.deepEqual([...fs.readFileSync(store.thumbnailPath(SHA_A))], [1, 2, 3]);
  assert.deepEqual(fs.readdirSync(store.tmpDir), []);
});

test('a sweep removes temp files and store files no row records, and keeps recorded ones', (t) => {
  const store = new ContentStore(makeTempDir(t, 'modelprint-store'));
  store.placeEvidence(stagedFile(store, 'kept'), SHA_A);
  store.placeThumbnail(SHA_A, new Uint8Array([1]));
  store.placeEvidence(stagedFile(store, 'orphan'), SHA_B);
  store.placeThumbnail(SHA_B, new Uint8Array([2]));
  stagedFile(store, 'half-written');

  const result = store.sweep((sha) => sha === SHA_A, (sha) => sha === SHA_A);

  assert.deepEqual(result, { tmpFiles: 1, orphanEvidence: 1, orphanThumbnails: 1 });
  assert.deepEqual(listStore(store.root), { evidence: [SHA_A], thumbnails: [SHA_A], tmp: [] });
  assert.deepEqual(store.sweep(() => true, () => true), { tmpFiles: 0, orphanEvidence: 0, orphanThumbnails: 0 });
});

test('a sweep also removes a thumbnail whose item is recorded without one', (t) => {
  const store = new ContentStore(makeTempDir(t, 'modelprint-store'));
  store.placeEvidence(stagedFile(store, 'kept'), SHA_A);
  store.placeThumbnail(SHA_A, new Uint8Array([1]));

  const result = store.sweep(() => true, () => false);

  assert.equal(result.orphanThumbnails, 1);
  assert.deepEqual(listStore(store.root), { evidence: [SHA_A], thumbnails: [], tmp: [] });
});

test('a stray file beside the hash-prefix folders (e.g. a .DS_Store) does not break the sweep', (t) => {
  const store = new ContentStore(makeTempDir(t, 'modelprint-store'));
  store.placeEvidence(stagedFile(store, 'kept'), SHA_A);
  fs.writeFileSync(path.join(store.root, 'evidence', '.DS_Store'), 'finder metadata');
  fs.writeFileSync(path.join(store.root, 'thumbs', 'Thumbs.db'), 'explorer metadata');

  const result = store.sweep(() => true, () => true);

  assert.deepEqual(result, { tmpFiles: 0, orphanEvidence: 0, orphanThumbnails: 0 });
  assert.ok(fs.existsSync(store.evidencePath(SHA_A)));
});
