// The engine's own list of what it ships: every file under the bundled resources/ folder with its
// sha256, fixed in code at release (release-manifest.ts, written by tools/write-release-manifest.ts).
// A model card or a calibration file can describe itself, but anyone who edits one can edit its
// description too; the manifest is part of the program, so a shipped model, calibration, gallery
// pack or reference set that was replaced, even re-sealed with the project's own hash functions,
// is refused (exit 1). Files outside the bundled folder (a MODELPRINT_* override) are the user's own
// and are checked by their cards as before.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IntegrityApiError } from '../api/integrity-error.ts';
import { RELEASE_FILES } from './release-manifest.ts';

/** The bundled resources folders: the packaged app's, and resources/ above this file (source tree, out/main). */
export function bundledResourceRoots(from: string = import.meta.dirname): string[] {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const roots = resourcesPath ? [path.resolve(resourcesPath)] : [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'models'))) {
      roots.push(path.resolve(candidate));
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return roots;
}

export interface ShippedCheck {
  roots: readonly string[];
  manifest: Readonly<Record<string, string>>;
}

const sha256Of = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const checked = new Map<string, { size: number; mtimeMs: number }>();

/** Refuses a file in a bundled resources folder that is not the one this release ships. */
export function assertShippedFile(file: string, check: ShippedCheck = { roots: bundledResourceRoots(), manifest: RELEASE_FILES }): void {
  const absolute = path.resolve(file);
  const root = check.roots.find((r) => absolute.startsWith(r + path.sep));
  if (root === undefined) return;
  const relative = path.relative(root, absolute).split(path.sep).join('/');
  const stat = fs.statSync(absolute);
  const known = checked.get(absolute);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return;
  const expected = check.manifest[relative];
  if (expected === undefined) throw new IntegrityApiError(`${absolute} is not a file this release of Modelprint ships (resources/${relative} is not in its release manifest): remove it or reinstall`);
  const actual = sha256Of(absolute);
  if (actual !== expected) {
    throw new IntegrityApiError(`${absolute} is not the file this release shipped: its sha256 is ${actual}, the release manifest states ${expected}. It was damaged or replaced; reinstall.`);
  }
  checked.set(absolute, { size: stat.size, mtimeMs: stat.mtimeMs });
}
