// Where each source repository's local copy is. A folder of mirrors holds one entry per
// repository named <owner>+<name> (the project's fetch layout): either the repository itself
// (a bare copy or a plain clone) or a folder with it in `repo/`. `--source owner/name=PATH`
// points at one repository directly and wins over the mirrors folder.
import path from 'node:path';
import { gitDirOf } from './git-repo.ts';

export interface Located {
  repo: string;
  /** The git directory to read, or null when no copy was found. */
  gitDir: string | null;
  /** The places looked at, for the report when nothing was found. */
  looked: string[];
}

/** Parses `owner/name=PATH` (the --source option). */
export function parseSourceOption(value: string): { repo: string; dir: string } {
  const eq = value.indexOf('=');
  const repo = value.slice(0, eq);
  const dir = value.slice(eq + 1);
  if (eq < 0 || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo) || dir === '') throw new Error(`--source takes owner/name=PATH, not "${value}"`);
  return { repo, dir: path.resolve(dir) };
}

function candidatesIn(dir: string): string[] {
  return [path.join(dir, 'repo'), dir];
}

export function locateSource(repo: string, mirrors: string | null, explicit: ReadonlyMap<string, string>): Located {
  const given = explicit.get(repo);
  const candidates = given !== undefined ? [given, path.join(given, 'repo')] : mirrors !== null ? candidatesIn(path.join(mirrors, repo.replace('/', '+'))) : [];
  for (const candidate of candidates) {
    const gitDir = gitDirOf(candidate);
    if (gitDir) return { repo, gitDir, looked: candidates };
  }
  return { repo, gitDir: null, looked: candidates };
}
