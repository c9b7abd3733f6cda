import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Real images made by real generators (see its README: the dalle2 "PNGs" are WebP). */
export const generatedFixturesDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'generated');

export const nodeBinary = path.join(repoRoot, 'node_modules', '.bin', 'node');
