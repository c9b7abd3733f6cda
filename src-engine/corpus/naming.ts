// Output names: unique within a generator folder and stable across runs and machines, derived
// from the path alone. The published extension is kept (the manifest's sniffed format says what
// the bytes are); tiles are PNG whatever the grid's name said.
import path from 'node:path/posix';
import type { Kind, Split } from './definition.ts';

export type Naming = 'parent-and-file' | 'path';

/** dcsan/imagen: "<prompt folder>_<file>", as ../shared/real-generators names them; elsewhere the whole path. */
export function outputName(repoPath: string, naming: Naming): string {
  if (naming === 'parent-and-file') {
    const parent = path.basename(path.dirname(repoPath));
    return parent && parent !== '.' ? `${parent}_${path.basename(repoPath)}` : path.basename(repoPath);
  }
  return repoPath.split('/').join('__');
}

/** "<stem>__r<row>c<column>.png" (1-based). */
export function tileName(name: string, row: number, column: number): string {
  const ext = path.extname(name);
  return `${ext ? name.slice(0, -ext.length) : name}__r${row}c${column}.png`;
}

/** Generators under <split>/<generator>/ (so a split folder is what evaluate / calibrate take); photos under photos/<split>/<dataset>/. */
export function outputFolder(kind: Kind, split: Split, label: string): string {
  return kind === 'photo' ? `photos/${split}/${label}` : `${split}/${label}`;
}
