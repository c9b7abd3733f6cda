// Read-only access to one local copy of a source repository: a bare copy (what the project's
// mirrors are) or a plain clone. Always through an explicit --git-dir, so a folder that is not a
// repository can never make git fall back to an enclosing one (the project's own checkout).
// Network transports are disabled: a partial copy's absent objects stay absent, never fetched.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const GIT_ENV: NodeJS.ProcessEnv = { ...process.env, GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
/** Options every git call gets: no transport may run. */
export const GIT_SAFETY = ['-c', 'protocol.allow=never'];

/** The git directory of a bare copy or of a clone at `dir`, or null when `dir` is neither. */
export function gitDirOf(dir: string): string | null {
  const dotGit = path.join(dir, '.git');
  if (fs.existsSync(dotGit)) return dotGit;
  const isBare = fs.existsSync(path.join(dir, 'HEAD')) && fs.statSync(path.join(dir, 'objects'), { throwIfNoEntry: false })?.isDirectory() === true;
  return isBare ? dir : null;
}

export interface TreeEntry {
  path: string;
  /** The blob's object id (sha1 or sha256, as the repository uses). */
  object: string;
  /** Bytes, or null when the object is absent from this copy (listed as BAD or "-"). */
  size: number | null;
}

export class GitRepo {
  readonly gitDir: string;

  constructor(gitDir: string) {
    this.gitDir = gitDir;
  }

  run(args: string[], maxBuffer = 256 * 1024 * 1024): Buffer {
    return execFileSync('git', [...GIT_SAFETY, `--git-dir=${this.gitDir}`, ...args], { env: GIT_ENV, maxBuffer, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The full hash of `commit` (short or full), or null when this copy does not have it. */
  resolveCommit(commit: string): string | null {
    try {
      const full = this.run(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]).toString('utf8').trim();
      return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(full) ? full : null;
    } catch {
      return null;
    }
  }

  /** Every blob of the commit's tree, in git's (byte) path order. Submodules and links are left out. */
  listTree(commit: string): TreeEntry[] {
    // -z: paths come verbatim (no quoting of quotes, commas, non-ASCII).
    const out = this.run(['ls-tree', '-r', '-l', '-z', commit]).toString('utf8');
    const entries: TreeEntry[] = [];
    for (const record of out.split('\0')) {
      if (record === '') continue;
      const tab = record.indexOf('\t');
      const [mode, type, object, size] = record.slice(0, tab).trim().split(/\s+/);
      if (type !== 'blob' || mode === '120000' || !object || size === undefined) continue;
      entries.push({ path: record.slice(tab + 1), object, size: /^\d+$/.test(size) ? Number(size) : null });
    }
    return entries;
  }
}
