// Finds the bundled fingerprint extractor, reads its model card and proves the ONNX file is the
// one the card describes: a model whose sha256 differs from its card's is refused, because every
// stored fingerprint is labelled with that hash and must be reproducible from it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors.ts';
import { IntegrityApiError } from '../api/integrity-error.ts';
import { assertShippedFile } from './shipped-files.ts';

/** The extractor this version of the engine uses. */
export const DEFAULT_MODEL_NAME = 'spectral-extractor-v2';

export interface InstalledModel {
  name: string;
  onnxPath: string;
  /** PyTorch outputs on fixed inputs, exported with the model for parity checks (may be absent). */
  referencePath: string;
  sha256: string;
  /** The model card, Markdown. */
  card: string;
}

const MODELS_SUBDIR = path.join('resources', 'models');

/**
 * The models folder: $MODELPRINT_MODELS, the packaged app's resources (process.resourcesPath,
 * set by Electron), or the first resources/models found walking up from this file, which covers
 * both the source tree (src-engine/models) and the electron-vite bundle (out/main).
 */
export function locateModelsDir(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.dirname): string | null {
  if (env.MODELPRINT_MODELS) return path.resolve(env.MODELPRINT_MODELS);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = resourcesPath ? [path.join(resourcesPath, 'models')] : [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, MODELS_SUBDIR));
    if (path.dirname(dir) === dir) break;
  }
  return candidates.find((dir) => fs.existsSync(dir)) ?? null;
}

/** Every sha256 the card states: a 64-hex-digit value on a line that mentions sha256 / SHA-256. */
export function hashesStatedIn(card: string): string[] {
  return card
    .split('\n')
    .filter((line) => /sha-?256/i.test(line))
    .flatMap((line) => line.match(/\b[0-9a-f]{64}\b/gi) ?? [])
    .map((hash) => hash.toLowerCase());
}

const hashCache = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

/** sha256 of a file, remembered while its size and mtime stay the same. */
function fileSha256(file: string): string {
  const stat = fs.statSync(file);
  const known = hashCache.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.sha256;
  const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  hashCache.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, sha256 });
  return sha256;
}

/** Loads and verifies `<dir>/<name>.onnx` against `<dir>/<name>.md`; throws an ApiError saying what is wrong. */
export function loadModel(dir: string | null, name: string = DEFAULT_MODEL_NAME): InstalledModel {
  const onnxPath = dir ? path.join(dir, `${name}.onnx`) : `${MODELS_SUBDIR}/${name}.onnx`;
  if (!dir || !fs.existsSync(onnxPath)) {
    throw new ApiError('not_found', `the fingerprint model is not installed: ${onnxPath} is missing (set MODELPRINT_MODELS to its folder)`);
  }
  const cardPath = path.join(dir, `${name}.md`);
  if (!fs.existsSync(cardPath)) throw new ApiError('not_found', `the model card ${cardPath} is missing: a model without its card is not used`);
  // A shipped model must be the one this release ships, whatever its card says.
  assertShippedFile(onnxPath);
  assertShippedFile(cardPath);
  const card = fs.readFileSync(cardPath, 'utf8');
  const stated = hashesStatedIn(card);
  if (stated.length === 0) throw new ApiError('internal', `the model card ${cardPath} states no sha256 for ${name}.onnx: the model is not used`);
  const sha256 = fileSha256(onnxPath);
  if (!stated.includes(sha256)) {
    throw new IntegrityApiError(
      `${onnxPath} does not match its model card: the file's sha256 is ${sha256}, the card states ${stated.join(' / ')}. ` +
        'The file is damaged or was replaced; reinstall the model.',
    );
  }
  return { name, onnxPath, referencePath: path.join(dir, `${name}.reference.json`), sha256, card };
}
