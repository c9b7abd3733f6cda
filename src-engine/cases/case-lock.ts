// One writer per case at a time (imports, verification, recovery), across processes: the GUI and
// a CLI batch job may point at the same library. A lock left by a killed process is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors.ts';

import { processStartedAtMs, processStartIdentity } from './process-identity.ts';

const held = new Set<string>();
/** A legacy lock (PID only) whose PID started this long after the lock was written is not its owner. */
const START_AFTER_LOCK_SLACK_MS = 2000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockOwner {
  pid: number;
  /** processStartIdentity() of the owner when it took the lock; absent in locks written by older versions. */
  identity: string | null;
}

/** First line the PID (older versions wrote only that), second line "started <identity>". */
function lockContent(): string {
  const identity = processStartIdentity(process.pid);
  return identity ? `${process.pid}\nstarted ${identity}\n` : String(process.pid);
}

function readOwner(lockFile: string): LockOwner {
  const text = fs.readFileSync(lockFile, 'utf8');
  return { pid: Number.parseInt(text, 10), identity: /^started (\S+)$/m.exec(text)?.[1] ?? null };
}

/** Whether the process named in the lock is the one that wrote it, and still running. */
function ownerRunning(owner: LockOwner, lockFile: string): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || owner.pid === process.pid || !processAlive(owner.pid)) return false;
  const now = processStartIdentity(owner.pid);
  if (owner.identity !== null) return now === null || now === owner.identity;
  // A PID-only lock: a process that started after the lock was written cannot have written it.
  const started = processStartedAtMs(owner.pid);
  const written = fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs;
  return started === null || written === undefined || started <= written + START_AFTER_LOCK_SLACK_MS;
}

function tryAcquire(lockFile: string): LockOwner | null {
  try {
    fs.writeFileSync(lockFile, lockContent(), { flag: 'wx' });
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = readOwner(lockFile);
  if (ownerRunning(owner, lockFile)) return owner;
  fs.rmSync(lockFile, { force: true });
  return tryAcquire(lockFile);
}

export async function withCaseLock<T>(caseDir: string, work: () => Promise<T>): Promise<T> {
  const lockFile = path.join(caseDir, 'write.lock');
  const busy = held.has(lockFile) ? { pid: process.pid, identity: null } : tryAcquire(lockFile);
  if (busy) {
    throw new ApiError(
      'conflict',
      "another job is writing to this case (an import, a verification, a report's re-verification or fingerprinting): " +
        `wait for it or cancel it. The case's lock ${lockFile} is held by process ${busy.pid}${busy.pid === process.pid ? ' (this one)' : ''}; ` +
        'if no modelprint process is running, the lock is left over and may be removed.',
    );
  }
  held.add(lockFile);
  try {
    return await work();
  } finally {
    held.delete(lockFile);
    fs.rmSync(lockFile, { force: true });
  }
}
