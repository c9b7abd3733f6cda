// Stages a file the browser uploaded (a drag-and-drop has no path the host can read) so the
// engine can import it like any other path. Bytes stream straight to disk: evidence files can be
// far larger than memory.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../api/errors.ts';

/** Large enough for any single image an examiner drops; beyond it the upload is refused. */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
const MAX_NAME_BYTES = 200;

/**
 * The base name to keep for an uploaded file: only the last path segment (whatever separator the
 * sender's platform uses), without control characters, never '.' or '..'. Null when nothing is left.
 */
export function sanitiseUploadName(rawName: string): string | null {
  const lastSegment = rawName.split(/[/\\]/).pop() ?? '';
  let name = lastSegment.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  while (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) name = name.slice(0, -1);
  if (name === '' || name === '.' || name === '..') return null;
  return name;
}

class UploadTooLarge extends ApiError {
  constructor(limit: number) {
    super('invalid_input', `the upload is larger than the ${limit}-byte limit`);
  }
}

function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new UploadTooLarge(limit) : null, chunk);
    },
  });
}

/**
 * Writes `body` to <stagingDir>/<random>/<name> and returns that path. The random folder keeps
 * same-named uploads apart; on any failure the folder is removed so no partial file is imported.
 */
export async function stageUpload(
  body: Readable,
  stagingDir: string,
  rawName: string,
  limit: number = MAX_UPLOAD_BYTES,
): Promise<string> {
  const name = sanitiseUploadName(rawName);
  if (name === null) throw new ApiError('invalid_input', 'the upload needs a file name');
  const folder = path.join(stagingDir, randomUUID());
  const target = path.join(folder, name);
  await mkdir(folder, { recursive: true });
  try {
    await pipeline(body, byteLimit(limit), createWriteStream(target, { flags: 'wx' }));
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return target;
}
