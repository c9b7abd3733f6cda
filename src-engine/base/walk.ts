// Expands the examiner's selection (files and folders, recursively) into a sorted list of files.
import fs from 'node:fs/promises';
import path from 'node:path';
import { decideLink, type LinkPolicy, type LinkRecord } from './symlink-policy.ts';

export interface WalkResult {
  files: string[];
  problems: Array<{ path: string; message: string }>;
  /** Symbolic links inside the selection that were not followed (see symlink-policy.ts). */
  links: LinkRecord[];
}

export async function collectFiles(selection: readonly string[], signal?: AbortSignal, options: { links?: LinkPolicy } = {}): Promise<WalkResult> {
  const files = new Set<string>();
  const problems: WalkResult['problems'] = [];
  const links: LinkRecord[] = [];
  const visitedDirs = new Set<string>();
  const roots: string[] = [];

  async function visit(target: string, selected = false): Promise<void> {
    signal?.throwIfAborted();
    let stat;
    try {
      stat = await fs.lstat(target);
      if (stat.isSymbolicLink()) {
        if (!selected) {
          const decision = await decideLink(target, roots, options.links ?? 'record');
          if (!decision.follow) {
            links.push(decision.record);
            return;
          }
        }
        stat = await fs.stat(target);
      }
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
      let entries: string[];
      try {
        entries = await fs.readdir(target);
      } catch (error) {
        // One unreadable folder is recorded and the rest of the selection still imported.
        problems.push({ path: target, message: `folder cannot be read: ${(error as Error).message}` });
        return;
      }
      for (const name of entries.sort()) await visit(path.join(target, name));
    } else {
      problems.push({ path: target, message: 'not a regular file (device, socket or pipe): skipped' });
    }
  }

  for (const entry of selection) {
    const real = await fs.realpath(path.resolve(entry)).catch(() => null);
    if (real !== null) roots.push(real);
  }
  for (const entry of selection) await visit(path.resolve(entry), true);
  return { files: [...files], problems, links };
}
