// Every test works in its own folder under the OS temp dir, removed when the test ends (store
// files are read-only, but unlinking needs only the folder's write permission).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Anything that runs cleanups when its scope ends: a TestContext, or node:test's top-level hooks. */
export interface CleanupScope {
  after(fn: () => void | Promise<void>): void;
}

/** `release` runs just before removal, e.g. to close databases that live in the folder. */
export function makeTempDir(t: CleanupScope, label = 'modelprint-test', release?: () => void | Promise<void>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  t.after(async () => {
    await release?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
