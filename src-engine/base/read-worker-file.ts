// Reading an image in a worker thread (fingerprint/fingerprint-worker.ts, ct-curve/curve-worker.ts): an
// evidence copy is hashed as it is read and refused if it no longer matches its intake hash, so
// nothing is computed from a stored copy that changed after intake.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export interface WorkerFile {
  path: string;
  /** When given, the bytes are hashed and refused unless they match (evidence copies). */
  sha256?: string;
  /** How messages name the file (e.g. the evidence item); the path when absent. */
  label?: string;
}

/** The file's bytes; throws when `file.sha256` is given and the bytes do not match it. */
export async function readWorkerFile(file: WorkerFile): Promise<Uint8Array> {
  const bytes = await fs.promises.readFile(file.path);
  if (file.sha256) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== file.sha256) throw new Error(`the stored copy no longer matches its intake hash (now ${actual}): run verify`);
  }
  return bytes;
}
