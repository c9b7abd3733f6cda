// `modelprint gallery ...` and `modelprint attribute` as an examiner runs them: a real process on a
// temporary library (its gallery seeded from the bundled pack), --json output and exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { writeNoisePng } from './helpers/noise-images.ts';
import { generatedFixturesDir, nodeBinary, repoRoot } from './helpers/repo-paths.ts';
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
  assert.deepEqual(listed.json.models.map((m: { name: string; fingerprint: string }) => [m.name, m.fingerprint]), [
    ['animagine-xl-lora', 'current'],
    ['dalle2', 'current'],
    ['realcartoon-xl-lora', 'current'],
    ['sd15', 'current'],
    ['sdxl', 'current'],
  ]);

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

test('attribute ranks gallery models for fingerprinted items and says the scores are uncalibrated', (t) => {
  const home = makeTempDir(t, 'modelprint-gallery-cli');
  assert.equal(modelprint(home, 'case', 'create', '--number', 'ATT-1', '--title', 'Attribution', '--examiner', 'J. Doe').code, 0);
  assert.equal(modelprint(home, 'import', '--case', 'ATT-1', path.join(generatedFixturesDir, 'sd15')).code, 0);

  const before = modelprint(home, 'attribute', '--case', 'ATT-1');
  assert.equal(before.code, 5, 'items without a fingerprint make the run partial');
  assert.ok(before.json.items.every((i: { status: string; message: string }) => i.status === 'no_fingerprint' && /modelprint fingerprint/.test(i.message)));

  assert.equal(modelprint(home, 'fingerprint', '--case', 'ATT-1').code, 0);
  const after = modelprint(home, 'attribute', '--case', 'ATT-1', '--top', '3');
  assert.equal(after.code, 0);
  assert.match(after.json.statement, /uncalibrated/);
  assert.doesNotMatch(JSON.stringify(after.json), /probability"/);
  assert.equal(after.json.galleryModels, 5);
  assert.equal(after.json.items.length, 3);
  for (const item of after.json.items) {
    assert.equal(item.status, 'ranked');
    assert.deepEqual(item.candidates.map((c: { rank: number }) => c.rank), [1, 2, 3]);
    const scores = item.candidates.map((c: { score: number }) => c.score);
    assert.deepEqual(scores, [...scores].sort((a: number, b: number) => b - a));
    assert.ok(scores.every((s: number) => s >= -1 && s <= 1));
  }
  assert.equal(modelprint(home, 'attribute', '--case', 'ATT-1', '--top', '0').code, 2);
  assert.equal(modelprint(home, 'attribute', '--case', 'NOPE').code, 3);
});
