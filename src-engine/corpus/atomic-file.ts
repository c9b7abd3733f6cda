// Every file of the corpus appears whole or not at all: written to a hidden temporary file in the
// same folder (evaluate and calibrate skip names starting with '.'), fsynced, then renamed over
// the final name. Ctrl-C or a crash leaves at most a temporary file, removed by the next build.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const TEMP_MARK = '.corpus-partial-';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `bytes` to `file` atomically; returns false when the file already held exactly these bytes (nothing written). */
export function writeFileAtomic(file: string, bytes: Uint8Array, mode = 0o644): boolean {
  const existing = fs.statSync(file, { throwIfNoEntry: false });
  if (existing?.isFile() && existing.size === bytes.length && sha256Hex(fs.readFileSync(file)) === sha256Hex(bytes)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `${TEMP_MARK}${process.pid}-${path.basename(file)}`);
  try {
    const fd = fs.openSync(temp, 'w', mode);
    try {
      fs.writeFileSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  return true;
}
