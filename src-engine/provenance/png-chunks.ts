// Walks a PNG's chunks exactly as written: order, CRCs, text chunks (tEXt, zTXt, iTXt), eXIf and
// caBX (C2PA), and whatever follows IEND. Done by hand because the byte-level facts (a bad CRC,
// data after IEND) are themselves evidence, and metadata libraries smooth them over.
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A compressed text chunk may not inflate past this: a zip bomb in a zTXt must not take the engine down. */
const MAX_INFLATED_TEXT = 16 * 1024 * 1024;

export interface PngChunk {
  type: string;
  offset: number;
  length: number;
  crcOk: boolean;
}

export interface PngText {
  keyword: string;
  text: string;
  chunk: 'tEXt' | 'zTXt' | 'iTXt';
  compressed: boolean;
  /** iTXt only: the language tag and translated keyword, when given. */
  language?: string;
  translatedKeyword?: string;
  /** Set when the text could not be decoded (bad compression): the text is then empty. */
  error?: string;
}

export interface PngWalk {
  chunks: PngChunk[];
  texts: PngText[];
  exif: Buffer | null;
  /** caBX chunks: the C2PA manifest store. */
  c2paStores: Array<{ offset: number; data: Buffer }>;
  /** Offset just past IEND's CRC; null when IEND never came (truncated or damaged file). */
  endOffset: number | null;
  trailingBytes: number;
  /** Structural problems: chunks running past the end of the file, IHDR not first. */
  problems: string[];
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.equals(bytes.subarray(0, SIGNATURE.length));
}

export function walkPng(bytes: Buffer): PngWalk {
  const walk: PngWalk = { chunks: [], texts: [], exif: null, c2paStores: [], endOffset: null, trailingBytes: 0, problems: [] };
  let pos = SIGNATURE.length;
  while (pos + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const dataEnd = pos + 8 + length;
    if (dataEnd + 4 > bytes.length) {
      walk.problems.push(`chunk '${printable(type)}' at byte ${pos} declares ${length} bytes, past the end of the file`);
      return walk;
    }
    const data = bytes.subarray(pos + 8, dataEnd);
    const crcOk = crc32(bytes.subarray(pos + 4, dataEnd)) === bytes.readUInt32BE(dataEnd);
    walk.chunks.push({ type, offset: pos, length, crcOk });
    readChunk(walk, type, data, pos);
    pos = dataEnd + 4;
    if (type === 'IEND') {
      walk.endOffset = pos;
      walk.trailingBytes = bytes.length - pos;
      break;
    }
  }
  if (walk.chunks[0]?.type !== 'IHDR') walk.problems.push('the first chunk is not IHDR');
  if (walk.endOffset === null) walk.problems.push('the file ends without an IEND chunk (truncated or damaged)');
  return walk;
}

function readChunk(walk: PngWalk, type: string, data: Buffer, offset: number): void {
  switch (type) {
    case 'tEXt':
    case 'zTXt':
    case 'iTXt':
      walk.texts.push(decodeText(type, data));
      break;
    case 'eXIf':
      walk.exif = data;
      break;
    case 'caBX':
      walk.c2paStores.push({ offset, data });
      break;
  }
}

function decodeText(chunk: 'tEXt' | 'zTXt' | 'iTXt', data: Buffer): PngText {
  const keywordEnd = nulAt(data, 0);
  const keyword = data.toString('latin1', 0, keywordEnd);
  try {
    if (chunk === 'tEXt') return { keyword, chunk, compressed: false, text: data.toString('latin1', keywordEnd + 1) };
    if (chunk === 'zTXt') {
      // keyword NUL, compression method (0 = deflate), compressed Latin-1 text
      return { keyword, chunk, compressed: true, text: inflate(data.subarray(keywordEnd + 2)).toString('latin1') };
    }
    // iTXt: keyword NUL, compression flag, method, language NUL, translated keyword NUL, UTF-8 text
    const compressed = data[keywordEnd + 1] === 1;
    const languageEnd = nulAt(data, keywordEnd + 3);
    const translatedEnd = nulAt(data, languageEnd + 1);
    const body = data.subarray(translatedEnd + 1);
    return {
      keyword,
      chunk,
      compressed,
      language: data.toString('latin1', keywordEnd + 3, languageEnd),
      translatedKeyword: data.toString('utf8', languageEnd + 1, translatedEnd),
      text: (compressed ? inflate(body) : body).toString('utf8'),
    };
  } catch (error) {
    return { keyword, chunk, compressed: chunk !== 'tEXt', text: '', error: (error as Error).message };
  }
}

function inflate(data: Buffer): Buffer {
  return inflateSync(data, { maxOutputLength: MAX_INFLATED_TEXT });
}

/** Index of the NUL ending a field that starts at `from`; the end of the data when there is none. */
function nulAt(data: Buffer, from: number): number {
  const i = data.indexOf(0, from);
  return i === -1 ? data.length : i;
}

function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}
