// After a build, the corpus folders hold exactly what this build wrote: files of an earlier build
// that the definition no longer names (and temporary files of an interrupted one) are removed, so
// a split folder never feeds evaluate / calibrate an image the manifest does not list. Only the
// folders the builder owns are touched; anything else under --out is left alone.
import fs from 'node:fs';
import path from 'node:path';

export const OWNED_FOLDERS = ['train', 'calibration', 'validation', 'photos'] as const;

/** Removes files under out/<owned folder> whose out-relative path is not in `keep`; returns how many. */
export function removeStale(out: string, keep: ReadonlySet<string>): number {
  let removed = 0;
  const walk = (rel: string): boolean => {
    const dir = path.join(out, rel);
    let empty = true;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (walk(child)) fs.rmdirSync(path.join(out, child));
        else empty = false;
      } else if (keep.has(child)) {
        empty = false;
      } else {
        fs.rmSync(path.join(out, child), { force: true });
        removed++;
      }
    }
    return empty;
  };
  for (const folder of OWNED_FOLDERS) {
    if (!fs.statSync(path.join(out, folder), { throwIfNoEntry: false })?.isDirectory()) continue;
    if (walk(folder)) fs.rmdirSync(path.join(out, folder));
  }
  return removed;
}
