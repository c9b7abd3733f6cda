// Reads an original exactly once: the same bytes feed SHA-256, MD5, the format sniffer and the
// copy into the store, so the hashes describe precisely what was stored.
import { createHash } from 'node:crypto';
import { constants as fsConstants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;
/** Enough leading bytes for format detection (file-type reads at most ~4 KiB for images). */
const HEAD_BYTES = 64 * 1024;

export interface HashedCopy {
  sha256: string;
  md5: string;
  sizeBytes: number;
  head: Uint8Array;
  /** Set when the source changed while it was read (size, modification time or the file itself):
   *  the copy is a snapshot of a moving file, and custody must say so. */
  changed: string | null;
  /** The source file's own times as the file system gave them before it was read. */
  sourceTimes: SourceTimes;
}

/**
 * When the original says it was last modified, when its metadata last changed and, where the file
 * system records it (statx on Linux, APFS, NTFS), when it was created; read before the bytes, so
 * reading does not move the access time that is recorded.
 */
export interface SourceTimes {
  modifiedUtc: string;
  changedUtc: string;
  bornUtc: string | null;
  accessedUtc: string;
}

export function sourceTimesOf(stats: Stats): SourceTimes {
  const iso = (ms: number) => new Date(ms).toISOString();
  // A birth time of 0 means the file system does not keep one.
  return { modifiedUtc: iso(stats.mtimeMs), changedUtc: iso(stats.ctimeMs), bornUtc: stats.birthtimeMs > 0 ? iso(stats.birthtimeMs) : null, accessedUtc: iso(stats.atimeMs) };
}

/** Size, times and identity of an open file, to tell whether it changed while it was read. */
function fingerprintOf(stats: { size: number; mtimeMs: number }): string {
  return `${stats.size} bytes, modified ${new Date(stats.mtimeMs).toISOString()}`;
}

async function changeWhileRead(source: string, input: fs.FileHandle, before: Stats, bytesRead: number): Promise<string | null> {
  const after = await input.stat();
  const onDisk = await fs.stat(source).catch(() => null);
  if (onDisk && (onDisk.ino !== before.ino || onDisk.dev !== before.dev)) return 'the file was replaced by another while it was read';
  if (after.size !== before.size || bytesRead !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs) {
    return `the file changed while it was read: ${fingerprintOf(before)} when opened, ${fingerprintOf(after)} after ${bytesRead} bytes were copied`;
  }
  return null;
}

export async function hashAndCopy(source: string, destination: string, signal?: AbortSignal): Promise<HashedCopy> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  // Non-blocking, so that a FIFO swapped in after the walk cannot hang the import; then refused.
  const input = await fs.open(source, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  let output: fs.FileHandle | undefined;
  try {
    const before = await input.stat();
    if (!before.isFile()) throw new Error('not a regular file (device, socket or pipe): skipped');
    output = await fs.open(destination, 'wx', 0o600);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const head = Buffer.alloc(HEAD_BYTES);
    let headLength = 0;
    let sizeBytes = 0;
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await input.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      sha256.update(chunk);
      md5.update(chunk);
      if (headLength < HEAD_BYTES) headLength += chunk.copy(head, headLength, 0, HEAD_BYTES - headLength);
      await output.write(chunk);
      sizeBytes += bytesRead;
    }
    await output.sync();
    const changed = await changeWhileRead(source, input, before, sizeBytes);
    return { sha256: sha256.digest('hex'), md5: md5.digest('hex'), sizeBytes, head: head.subarray(0, headLength), changed, sourceTimes: sourceTimesOf(before) };
  } catch (error) {
    await output?.close();
    output = undefined;
    await fs.rm(destination, { force: true });
    throw error;
  } finally {
    await input.close();
    await output?.close();
  }
}

/** SHA-256 of a stored file, for re-verification. */
export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
