import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ApiError } from '../../src-engine/api/errors.ts';
import { withCaseLock } from '../../src-engine/cases/case-lock.ts';
import { processStartIdentity } from '../../src-engine/cases/process-identity.ts';
import { nodeBinary } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const isConflict = (error: unknown) => error instanceof ApiError && error.code === 'conflict';

test('a second writer on the same case is refused while the first holds the lock', async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  let release!: () => void;
  const first = withCaseLock(dir, () => new Promise<void>((resolve) => (release = resolve)));

  await assert.rejects(withCaseLock(dir, async () => 'second'), isConflict);
  assert.equal(Number.parseInt(fs.readFileSync(path.join(dir, 'write.lock'), 'utf8'), 10), process.pid);

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

const onLinux = fs.existsSync('/proc/self/stat');

test('the lock records its owner by PID and start time; a reused PID does not hold it', { skip: !onLinux && 'needs /proc' }, async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  const lockFile = path.join(dir, 'write.lock');
  let release!: () => void;
  const first = withCaseLock(dir, () => new Promise<void>((resolve) => (release = resolve)));
  assert.match(fs.readFileSync(lockFile, 'utf8'), new RegExp(`^${process.pid}\nstarted boot:[0-9a-f-]+:start:\\d+\n$`));
  assert.ok(fs.readFileSync(lockFile, 'utf8').includes(processStartIdentity(process.pid)!));
  release();
  await first;

  // After a reboot, or once a PID is reused, the lock names a live process that did not write it.
  const live = process.ppid;
  fs.writeFileSync(lockFile, `${live}\nstarted boot:00000000-0000-0000-0000-000000000000:start:1\n`);
  assert.equal(await withCaseLock(dir, async () => 'taken over'), 'taken over');
  // The same live process, with its true start time, keeps the lock.
  fs.writeFileSync(lockFile, `${live}\nstarted ${processStartIdentity(live)}\n`);
  await assert.rejects(withCaseLock(dir, async () => 'no'), isConflict);
});

test("a PID-only lock written before its PID's process started is left over, and taken over", { skip: !onLinux && 'needs /proc' }, async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  const lockFile = path.join(dir, 'write.lock');
  fs.writeFileSync(lockFile, String(process.ppid));
  const longAgo = new Date('2001-01-01T00:00:00Z');
  fs.utimesSync(lockFile, longAgo, longAgo);
  assert.equal(await withCaseLock(dir, async () => 'taken over'), 'taken over');
});

test('a refused writer is told which lock file holds the case, and by which process', async (t) => {
  const dir = makeTempDir(t, 'modelprint-lock');
  fs.writeFileSync(path.join(dir, 'write.lock'), String(process.ppid));
  await assert.rejects(withCaseLock(dir, async () => 'no'), (error: Error) => {
    assert.ok(isConflict(error));
    assert.ok(error.message.includes(path.join(dir, 'write.lock')), error.message);
    assert.match(error.message, new RegExp(`held by process ${process.ppid}`));
    return true;
  });
});
