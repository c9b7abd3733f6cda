// Expands the examiner's selection (files and folders, recursively) into a sorted list of files.
import fs from 'node:fs/promises';
import path from 'node:path';

export interface WalkResult {
  files: string[];
  problems: Array<{ path: string; message: string }>;
}

export async function collectFiles(selection: readonly string[], signal?: AbortSignal): Promise<WalkResult> {
  const files = new Set<string>();
  const problems: WalkResult['problems'] = [];
  const visitedDirs = new Set<string>();

  async function visit(target: string): Promise<void> {
    signal?.throwIfAborted();
    let stat;
    try {
      stat = await fs.stat(target);
    } catch (error) {
      problems.push({ path: target, message: `cannot be read: ${(error as Error).message}` });
      return;
    }
    if (stat.isFile()) {
      files.add(target);
    } else if (stat.isDirectory()) {
      // Symlinked folders may loop: each real folder is walked once.
      const real = await fs.realpath(target);
      if (visitedDirs.has(real)) return;
      visitedDirs.add(real);
      const entries = await fs.readdir(target);
      for (const name of entries.sort()) await visit(path.join(target, name));
    } else {
      problems.push({ path: target, message: 'not a regular file (device, socket or pipe): skipped' });
    }
  }

  for (const entry of selection) await visit(path.resolve(entry));
  return { files: [...files], problems };
}
