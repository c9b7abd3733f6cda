// `modelprint gallery ...` as an examiner runs it (attribute: attribution-cli.test.ts): a real process on a
// temporary library (its gallery seeded from the bundled pack), --json output and exit codes.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { GALLERY_DB } from '../../src-engine/gallery/gallery-store.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');

function modelprint(home: string, ...args: string[]): { code: number; json: any } {
  const run = spawnSync(nodeBinary, [BIN, '--home', home, '--json', ...args], { encoding: 'utf8' });
  return { code: run.status ?? -1, json: run.stdout ? JSON.parse(run.stdout) : null };
}

test('gallery list, enroll, remove, export and import through the command line, with their exit codes', async (t) => {
  const home = makeTempDir(t, 'modelprint-gallery-cli');
  const listed = modelprint(home, 'gallery', 'list');
  assert.equal(listed.code, 0);
  assert.equal(listed.json.models.length, 32, 'the bundled pack: the real generators of the corpus and the fixtures');
  assert.ok(listed.json.models.every((m: { fingerprint: string }) => m.fingerprint === 'current'));
  assert.equal(listed.json.models.find((m: { name: string }) => m.name === 'animagine-xl-lora').parent, 'sdxl');

  const images = path.join(home, 'images');
  fs.mkdirSync(images);
  await writeNoisePng(images, 'a.png', 160, 160, 3);
  fs.writeFileSync(path.join(images, 'broken.png'), 'not an image');
  const enrolled = modelprint(home, 'gallery', 'enroll', '--name', 'noise', '--family', 'Test', '--parent', 'sdxl', images);
  assert.equal(enrolled.code, 5, 'an unreadable reference image makes the run partial');
  assert.deepEqual([enrolled.json.created, enrolled.json.embedded, enrolled.json.failures.length], [true, 1, 1]);
  assert.equal(modelprint(home, 'gallery', 'enroll', images).code, 2);
  assert.equal(modelprint(home, 'gallery', 'enroll', '--name', 'x', '--parent', 'nope', images).code, 3);

  assert.equal(modelprint(home, 'gallery', 'remove', 'sdxl').code, 4, 'a parent with children stays');
  assert.equal(modelprint(home, 'gallery', 'remove', 'nope').code, 3);

  const pack = path.join(home, 'noise-pack.json');
  const exported = modelprint(home, 'gallery', 'export', '--models', 'noise', '--out', pack);
  assert.equal(exported.code, 0);
  assert.deepEqual(exported.json.models, ['sdxl', 'noise']);
  assert.equal(fs.readFileSync(`${pack}.sha256`, 'utf8').slice(0, 64), exported.json.sha256);
  assert.equal(modelprint(home, 'gallery', 'export', '--models', 'nope', '--out', pack).code, 3);
  assert.equal(modelprint(home, 'gallery', 'export').code, 2);

  assert.equal(modelprint(home, 'gallery', 'remove', 'noise').code, 0);
  const imported = modelprint(home, 'gallery', 'import', pack);
  assert.equal(imported.code, 0);
  assert.deepEqual([imported.json.added, imported.json.updated, imported.json.skipped], [['noise'], [], ['sdxl']]);
  assert.equal(modelprint(home, 'gallery', 'list').json.models.find((m: { name: string }) => m.name === 'noise').parent, 'sdxl');

  fs.appendFileSync(pack, ' ');
  assert.equal(modelprint(home, 'gallery', 'import', pack).code, 1, 'a pack that does not match its hash is refused');
  assert.equal(modelprint(home, 'gallery', 'import', path.join(home, 'missing.json')).code, 3);
});

test('gallery verify checks the history chain and its head, and exits 1 when entries were cut off', (t) => {
  const home = makeTempDir(t, 'modelprint-gallery-cli');
  assert.equal(modelprint(home, 'gallery', 'remove', 'dalle2').code, 0);
  const intact = modelprint(home, 'gallery', 'verify');
  assert.equal(intact.code, 0);
  assert.deepEqual([intact.json.ok, intact.json.entries, intact.json.problems], [true, 2, []]);

  const tamperer = new Database(path.join(home, GALLERY_DB));
  tamperer.exec('DROP TRIGGER history_no_delete');
  tamperer.prepare('DELETE FROM history WHERE seq = 2').run();
  tamperer.close();
  const broken = modelprint(home, 'gallery', 'verify');
  assert.equal(broken.code, 1);
  assert.equal(broken.json.ok, false);
  assert.deepEqual(broken.json.problems.map((p: { problem: string }) => p.problem), ['head_mismatch']);
  const text = spawnSync(nodeBinary, [BIN, '--home', home, 'gallery', 'verify'], { encoding: 'utf8' });
  assert.match(text.stdout, /1 entry, CHAIN BROKEN/);
  assert.match(text.stdout, /entry 1: head_mismatch: .*gallery records its head at entry 2/);
});

test('gallery history lists the chain and gallery undo reverses the last change as a new entry', async (t) => {
  const home = makeTempDir(t, 'modelprint-gallery-cli-undo');
  const images = path.join(home, 'images');
  fs.mkdirSync(images);
  await writeNoisePng(images, 'a.png', 160, 160, 7);
  await writeNoisePng(images, 'b.png', 160, 160, 8);
  assert.equal(modelprint(home, 'gallery', 'enroll', '--name', 'undo-cli', images).code, 0);
  const history = modelprint(home, 'gallery', 'history');
  assert.equal(history.code, 0);
  assert.deepEqual(history.json.entries.map((e: { action: string }) => e.action), ['model.enrolled', 'gallery.seeded']);
  assert.deepEqual(history.json.undoable, { seq: 2, action: 'model.enrolled', model: 'undo-cli' });
  assert.equal(modelprint(home, 'gallery', 'undo', '1').code, 4, 'only the last change');
  assert.equal(modelprint(home, 'gallery', 'undo').code, 2);
  const undone = modelprint(home, 'gallery', 'undo', '2');
  assert.equal(undone.code, 0);
  assert.deepEqual([undone.json.seq, undone.json.action, undone.json.details.undoes], [3, 'change.undone', 2]);
  assert.equal(modelprint(home, 'gallery', 'list').json.models.some((m: { name: string }) => m.name === 'undo-cli'), false);
  assert.equal(modelprint(home, 'gallery', 'verify').code, 0);
});
