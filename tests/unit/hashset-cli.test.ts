// `modelprint hashset`: import (plain and RDS CSV), list, match a case's items, remove, verify the history, with exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { writeSample } from './helpers/sample-images.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');

function modelprint(home: string, ...args: string[]): { code: number; json: any } {
  const run = spawnSync(nodeBinary, [BIN, '--home', home, '--json', ...args], { encoding: 'utf8' });
  return { code: run.status ?? -1, json: run.stdout ? JSON.parse(run.stdout) : null };
}

const fileHash = (file: string, algorithm: 'sha256' | 'md5') => createHash(algorithm).update(fs.readFileSync(file)).digest('hex');

test('hash sets are imported, listed, matched against a case and removed through the command line', async (t) => {
  const home = makeTempDir(t, 'modelprint-hashset-cli');
  const dir = makeTempDir(t, 'hashset-cli-files');
  const a = await writeSample.png(dir, 'a.png', 1);
  const b = await writeSample.png(dir, 'b.png', 2);
  assert.equal(modelprint(home, 'case', 'create', '--number', 'H-1', '--title', 'Hash sets', '--examiner', 'Tester').code, 0);
  assert.equal(modelprint(home, 'import', '--case', 'H-1', dir).code, 0);
  const plain = path.join(dir, 'generated.txt');
  fs.writeFileSync(plain, `# generated\n${fileHash(a, 'sha256').toUpperCase()}\nnonsense\n`);
  const rds = path.join(dir, 'NSRLFile.txt');
  fs.writeFileSync(rds, `"SHA-1","MD5","CRC32","FileName"\n"00","${fileHash(b, 'md5')}","00","b.png"\n`);

  const imported = modelprint(home, 'hashset', 'import', '--name', 'Generated', '--category', 'known-generated', plain);
  assert.equal(imported.code, 0);
  assert.equal(imported.json.set.badLineCount, 1);
  assert.equal(modelprint(home, 'hashset', 'import', '--name', 'NSRL', '--category', 'known-good', rds).code, 0);
  assert.equal(modelprint(home, 'hashset', 'import', '--name', 'NSRL', '--category', 'known-good', rds).code, 4);
  assert.equal(modelprint(home, 'hashset', 'import', '--name', 'X', '--category', 'good', rds).code, 2);
  assert.deepEqual(modelprint(home, 'hashset', 'list').json.map((s: { name: string }) => s.name), ['Generated', 'NSRL']);

  const matched = modelprint(home, 'hashset', 'match', '--case', 'H-1').json;
  assert.deepEqual(
    matched.map((m: any) => [m.originalName, m.matches.map((x: any) => `${x.setName}/${x.category}/${x.algorithm}`)]).sort(),
    [['a.png', ['Generated/known-generated/sha256']], ['b.png', ['NSRL/known-good/md5']]],
  );
  assert.equal(modelprint(home, 'hashset', 'remove', 'NSRL').code, 0);
  assert.equal(modelprint(home, 'hashset', 'remove', 'NSRL').code, 3);
  assert.equal(modelprint(home, 'hashset', 'match', '--case', 'H-1').json.length, 1);
  const verified = modelprint(home, 'hashset', 'verify');
  assert.deepEqual([verified.code, verified.json.ok, verified.json.entries], [0, true, 3]);
});
