// Walks a WebP (RIFF) file's chunks: the coding (VP8 lossy, VP8L lossless), metadata chunks, the
// C2PA chunk, and any bytes beyond the size the RIFF header declares.

export interface RiffChunk {
  fourcc: string;
  offset: number;
  data: Buffer;
}

export interface RiffWalk {
  chunks: RiffChunk[];
  /** 8 + the RIFF header's size field: where a well-formed file ends. */
  declaredEnd: number;
  trailingBytes: number;
  problems: string[];
}

export function isWebp(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP';
}

export function walkRiff(bytes: Buffer): RiffWalk {
  const declaredEnd = 8 + bytes.readUInt32LE(4);
  const walk: RiffWalk = { chunks: [], declaredEnd, trailingBytes: Math.max(0, bytes.length - declaredEnd), problems: [] };
  if (declaredEnd > bytes.length) walk.problems.push(`the RIFF header declares ${declaredEnd} bytes but the file has ${bytes.length} (truncated)`);
  const end = Math.min(declaredEnd, bytes.length);
  let pos = 12;
  while (pos + 8 <= end) {
    const fourcc = bytes.toString('latin1', pos, pos + 4);
    const size = bytes.readUInt32LE(pos + 4);
    if (pos + 8 + size > end) {
      walk.problems.push(`chunk '${fourcc}' at byte ${pos} runs past the end of the RIFF data`);
      break;
    }
    walk.chunks.push({ fourcc, offset: pos, data: bytes.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size & 1); // chunks are padded to even sizes
  }
  return walk;
}
