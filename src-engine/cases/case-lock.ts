// One writer per case at a time (imports, verification, recovery), across processes: the GUI and
// a CLI batch job may point at the same library. A lock left by a killed process is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors.ts';

const held = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryAcquire(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
  if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) return false;
  fs.rmSync(lockFile, { force: true });
  return tryAcquire(lockFile);
}

export async function withCaseLock<T>(caseDir: string, work: () => Promise<T>): Promise<T> {
  const lockFile = path.join(caseDir, 'write.lock');
  if (held.has(lockFile) || !tryAcquire(lockFile)) {
    throw new ApiError(
      'conflict',
      "another job is writing to this case (an import, a verification, a report's re-verification or fingerprinting): wait for it or cancel it",
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
