// Reads an original exactly once: the same bytes feed SHA-256, MD5, the format sniffer and the
// copy into the store, so the hashes describe precisely what was stored.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;
/** Enough leading bytes for format detection (file-type reads at most ~4 KiB for images). */
const HEAD_BYTES = 64 * 1024;

export interface HashedCopy {
  sha256: string;
  md5: string;
  sizeBytes: number;
  head: Uint8Array;
}

export async function hashAndCopy(source: string, destination: string, signal?: AbortSignal): Promise<HashedCopy> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const input = await fs.open(source, 'r');
  let output: fs.FileHandle | undefined;
  try {
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
    return { sha256: sha256.digest('hex'), md5: md5.digest('hex'), sizeBytes, head: head.subarray(0, headLength) };
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
