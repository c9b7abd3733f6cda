// The `modelprint` command as an examiner runs it: a real process on a temporary library, --json
// output, and exit codes that say what happened (README: 0 ok, 1 integrity, 2 usage, 3 not found,
// 4 conflict, 5 some inputs unreadable).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { generatedFixturesDir, nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { openAsTamperer } from './helpers/tamper.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');

function modelprint(home: string, ...args: string[]): { code: number; json: any; stderr: string } {
  const run = spawnSync(nodeBinary, [BIN, '--home', home, '--json', ...args], { encoding: 'utf8' });
  return { code: run.status ?? -1, json: run.stdout ? JSON.parse(run.stdout) : null, stderr: run.stderr };
}

test('create, import, verify, audit verify and export through the command line, with --json', (t) => {
  const home = makeTempDir(t, 'modelprint-cli');
  const broken = path.join(home, 'broken');
  fs.mkdirSync(broken);
  fs.writeFileSync(path.join(broken, 'empty.png'), '');
  fs.writeFileSync(path.join(broken, 'notes.jpg'), 'not an image');

  const created = modelprint(home, 'case', 'create', '--number', 'CLI-1', '--title', 'Command line', '--examiner', 'J. Doe');
  assert.equal(created.code, 0);
  assert.equal(created.json.number, 'CLI-1');

  const imported = modelprint(home, 'import', '--case', 'CLI-1', generatedFixturesDir, broken);
  assert.equal(imported.code, 0);
  assert.deepEqual(imported.json.counts, { imported: 14, notAnalysable: 2, duplicates: 0, alreadyInCase: 0, failed: 0 });

  assert.equal(modelprint(home, 'verify', '--case', 'CLI-1').code, 0);
  const audit = modelprint(home, 'audit', 'verify', '--case', 'CLI-1');
  assert.equal(audit.code, 0);
  assert.equal(audit.json.ok, true);

  const exported = modelprint(home, 'export', '--case', 'CLI-1', '--format', 'csv', '--out', path.join(home, 'evidence.csv'));
  assert.equal(exported.code, 0);
  assert.match(exported.json.sha256, /^[0-9a-f]{64}$/);
  assert.equal(fs.readFileSync(path.join(home, 'evidence.csv'), 'utf8').trim().split('\r\n').length, 1 + 16);
  assert.deepEqual(modelprint(home, 'case', 'list').json.map((c: { itemCount: number }) => c.itemCount), [16]);
});

test('a changed stored byte and a changed audit entry are detected, with exit code 1', (t) => {
  const home = makeTempDir(t, 'modelprint-cli');
  modelprint(home, 'case', 'create', '--number', 'CLI-2', '--title', 'Tampering', '--examiner', 'J. Doe');
  modelprint(home, 'import', '--case', 'CLI-2', path.join(generatedFixturesDir, 'sd15'));
  const caseDir = path.join(home, 'cases', modelprint(home, 'case', 'show', 'CLI-2').json.id);

  const [prefix] = fs.readdirSync(path.join(caseDir, 'evidence'));
  const stored = path.join(caseDir, 'evidence', prefix!, fs.readdirSync(path.join(caseDir, 'evidence', prefix!))[0]!);
  fs.chmodSync(stored, 0o644);
  const bytes = fs.readFileSync(stored);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0xff;
  fs.writeFileSync(stored, bytes);
  const verified = modelprint(home, 'verify', '--case', 'CLI-2');
  assert.equal(verified.code, 1);
  assert.equal(verified.json.counts.mismatched, 1);
  assert.equal(verified.json.openFindings[0].kind, 'hash_mismatch');

  const db = openAsTamperer(caseDir);
  db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2").run();
  db.close();
  const audit = modelprint(home, 'audit', 'verify', '--case', 'CLI-2');
  assert.equal(audit.code, 1);
  assert.equal(audit.json.ok, false);
  assert.ok(audit.json.problems.some((p: { seq: number; problem: string }) => p.seq === 2 && p.problem === 'altered'));
});

test('usage errors, unknown cases, taken numbers and unreadable inputs have their own exit codes', (t) => {
  const home = makeTempDir(t, 'modelprint-cli');
  assert.equal(modelprint(home, 'case', 'create', '--number', 'CLI-3').code, 2);
  assert.equal(modelprint(home, 'no-such-command').code, 2);
  assert.equal(modelprint(home, 'verify', '--case', 'NOPE').code, 3);
  assert.equal(modelprint(home, 'case', 'create', '--number', 'CLI-3', '--title', 't', '--examiner', 'e').code, 0);
  const again = modelprint(home, 'case', 'create', '--number', 'CLI-3', '--title', 't', '--examiner', 'e');
  assert.equal(again.code, 4);
  assert.match(again.json.error.message, /already exists/);
  const partial = modelprint(home, 'import', '--case', 'CLI-3', path.join(home, 'does-not-exist'));
  assert.equal(partial.code, 5);
  assert.equal(partial.json.failures.length, 1);
});
