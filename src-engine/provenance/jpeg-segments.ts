// Walks a JPEG's marker segments up to EOI, stepping over entropy-coded data, so that what lies
// after EOI (appended files, hidden payloads) and the APPn/DQT segments can be examined.

export const MARKER = { SOI: 0xd8, EOI: 0xd9, SOS: 0xda, DQT: 0xdb, APP1: 0xe1, APP11: 0xeb } as const;

export interface JpegSegment {
  marker: number;
  offset: number;
  /** The payload, after the two length bytes. */
  data: Buffer;
}

export interface JpegWalk {
  segments: JpegSegment[];
  /** Offset just past EOI; null when the file ends without one. */
  endOffset: number | null;
  trailingBytes: number;
  problems: string[];
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === MARKER.SOI && bytes[2] === 0xff;
}

export function walkJpeg(bytes: Buffer): JpegWalk {
  const walk: JpegWalk = { segments: [], endOffset: null, trailingBytes: 0, problems: [] };
  let pos = 2;
  while (pos + 1 < bytes.length) {
    if (bytes[pos] !== 0xff) {
      walk.problems.push(`expected a marker at byte ${pos}, found 0x${hex(bytes[pos]!)}`);
      return walk;
    }
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte before a marker
      continue;
    }
    if (marker === MARKER.EOI) {
      walk.endOffset = pos + 2;
      walk.trailingBytes = bytes.length - walk.endOffset;
      return walk;
    }
    if (isStandalone(marker)) {
      pos += 2;
      continue;
    }
    if (pos + 4 > bytes.length) break;
    const length = bytes.readUInt16BE(pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) {
      walk.problems.push(`segment 0x${hex(marker)} at byte ${pos} declares ${length} bytes, past the end of the file`);
      return walk;
    }
    walk.segments.push({ marker, offset: pos, data: bytes.subarray(pos + 4, end) });
    pos = marker === MARKER.SOS ? endOfEntropyData(bytes, end) : end;
  }
  walk.problems.push('the file ends without an EOI marker (truncated or damaged)');
  return walk;
}

/** Entropy-coded data ends at the first 0xFF that is neither byte stuffing (FF00) nor a restart marker. */
function endOfEntropyData(bytes: Buffer, from: number): number {
  let pos = from;
  while (pos + 1 < bytes.length) {
    if (bytes[pos] === 0xff) {
      const next = bytes[pos + 1]!;
      if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return pos;
    }
    pos++;
  }
  return bytes.length;
}

function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
