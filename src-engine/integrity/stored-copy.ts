// Re-hashes one stored original without trusting what lies at its path: only a regular file is
// read (a FIFO would block forever, a link to /dev/zero would never end), links are not followed,
// and no more bytes are read than the size recorded at intake plus one, so a file swapped for an
// endless or huge one is a mismatch after a bounded read.
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;

export type StoredCopyCheck =
  | { result: 'match' }
  /** actual: null when the file is longer than received, so it was not read to its end. */
  | { result: 'mismatch'; actual: string | null; note?: string }
  | { result: 'missing'; message: string };

export async function checkStoredCopy(file: string, expected: { sha256: string; sizeBytes: number }, signal?: AbortSignal): Promise<StoredCopyCheck> {
  const stats = await fs.lstat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  if (stats === null) return { result: 'missing', message: 'the stored copy is gone' };
  if (!stats.isFile()) return { result: 'missing', message: `the stored copy has been replaced by ${kindOf(stats)}: not read` };
  // O_NOFOLLOW and O_NONBLOCK: whatever was swapped in between lstat and open is not waited on.
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return { result: 'missing', message: `the stored copy has been replaced by ${kindOf(opened)}: not read` };
    const hash = createHash('sha256');
    const limit = expected.sizeBytes + 1;
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let total = 0;
    while (total < limit) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, limit - total), null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    const actual = hash.digest('hex');
    if (total > expected.sizeBytes) return { result: 'mismatch', actual: null, note: `the stored copy is longer than the ${expected.sizeBytes} bytes received; read no further` };
    return actual === expected.sha256 ? { result: 'match' } : { result: 'mismatch', actual };
  } finally {
    await handle.close();
  }
}

function kindOf(stats: { isSymbolicLink(): boolean; isFIFO(): boolean; isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'something that is not a regular file';
}
