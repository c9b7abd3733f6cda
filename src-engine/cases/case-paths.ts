// Every file the engine opens inside a case is named by the engine, never by the case database as
// written: a case received from another lab may hold anything in its columns. Hashes must be 64
// lowercase hex digits before they become a file name, and a relative path must stay inside the
// case folder, both as written and once symbolic links are resolved.
import fs from 'node:fs';
import path from 'node:path';

export { assertSha256Hex, CaseIntegrityError, isSha256Hex } from '../base/case-integrity.ts';
import { CaseIntegrityError } from '../base/case-integrity.ts';

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The absolute path of `relative` inside `caseDir`, refusing absolute paths, `..` segments,
 * backslashes and NULs. The lexical check is all there is for a file that does not exist yet.
 */
export function confinedCasePath(caseDir: string, relative: string): string {
  const parts = relative.split('/');
  if (relative === '' || path.isAbsolute(relative) || relative.includes('\\') || relative.includes('\0') || parts.some((p) => p === '..' || p === '')) {
    throw new CaseIntegrityError(`${JSON.stringify(relative.slice(0, 120))} is not a path inside the case folder`);
  }
  const resolved = path.resolve(caseDir, relative);
  if (!isInside(path.resolve(caseDir), resolved)) throw new CaseIntegrityError(`${JSON.stringify(relative.slice(0, 120))} is not a path inside the case folder`);
  return resolved;
}

/**
 * Reads a whole regular file that must lie inside the case folder once links are resolved: a link
 * planted in the case folder cannot lead out of it, and a FIFO or device is refused, not read.
 * Missing files throw ENOENT as fs does.
 */
export function readConfinedFile(caseDir: string, file: string): Buffer {
  const real = fs.realpathSync(file);
  if (!isInside(fs.realpathSync(caseDir), real)) throw new CaseIntegrityError(`${path.relative(caseDir, file)} leads outside the case folder (to ${real})`);
  const fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new CaseIntegrityError(`${path.relative(caseDir, file)} is not a regular file`);
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
