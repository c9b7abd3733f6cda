import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ApiError } from '../../src-engine/api/errors.ts';
import { withCaseLock } from '../../src-engine/cases/case-lock.ts';
import { nodeBinary } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const isConflict = (error: unknown) => error instanceof ApiError && error.code === 'conflict';

test('a second writer on the same case is refused while the first holds the lock', async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  let release!: () => void;
  const first = withCaseLock(dir, () => new Promise<void>((resolve) => (release = resolve)));

  await assert.rejects(withCaseLock(dir, async () => 'second'), isConflict);
  assert.equal(fs.readFileSync(path.join(dir, 'write.lock'), 'utf8'), String(process.pid));

  release();
  await first;
  assert.equal(fs.existsSync(path.join(dir, 'write.lock')), false);
  assert.equal(await withCaseLock(dir, async () => 'after'), 'after');
});

test('the lock is released when the work fails', async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  await assert.rejects(withCaseLock(dir, async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await withCaseLock(dir, async () => 'ok'), 'ok');
});

test('a lock left by a dead process, or an unreadable one, is taken over', async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  const dead = spawnSync(nodeBinary, ['-e', '']).pid;
  for (const content of [String(dead), 'not a pid']) {
    fs.writeFileSync(path.join(dir, 'write.lock'), content);
    assert.equal(await withCaseLock(dir, async () => 'taken over'), 'taken over', content);
  }
});

test('a lock held by another live process is respected', async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  fs.writeFileSync(path.join(dir, 'write.lock'), String(process.ppid));
  await assert.rejects(withCaseLock(dir, async () => 'no'), isConflict);
  assert.equal(fs.readFileSync(path.join(dir, 'write.lock'), 'utf8'), String(process.ppid), 'the owner keeps its lock');
});
