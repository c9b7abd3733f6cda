// What the evidence itself shows about its condition, from its bytes alone (no pixels decoded):
// the container format (sniffed, never the extension), whether that coding is lossy, for a JPEG
// the IJG quality its quantisation tables correspond to, and its size. The parsers read hostile
// bytes: every read is bounds-checked, and anything that does not parse gives null, never a throw.
import sharp from 'sharp';
import type { CompressionClass } from '../api/calibration.ts';
import { sniffFormat } from '../evidence/sniff.ts';

export interface ObservedCondition {
  /** Sniffed from the content: png, jpeg, webp, avif, tiff, gif, heic, bmp, ... or null when unrecognised. */
  format: string | null;
  /** Whether the coding discards information; null when it cannot be told. */
  lossy: boolean | null;
  /** JPEG only: the IJG quality (1..100) whose tables are nearest the luminance table. */
  jpegQuality: number | null;
  /** JPEG only: whether every table is exactly the IJG table at that quality. */
  standardTables: boolean | null;
  width: number | null;
  height: number | null;
  minSide: number | null;
}

export { COMPRESSION_CLASSES, type CompressionClass } from '../api/calibration.ts';

// ---- JPEG quantisation tables ----------------------------------------------------------------

/** ITU-T T.81 Annex K tables K.1 (luminance) and K.2 (chrominance), in natural (row-major) order. */
export const IJG_LUMINANCE: readonly number[] = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
export const IJG_CHROMINANCE: readonly number[] = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** ZIGZAG[k] is the natural-order index of the k-th coefficient a DQT segment stores. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** libjpeg's jpeg_quality_scaling + jpeg_add_quant_table: the table written at `quality`. */
export function ijgTable(basic: readonly number[], quality: number, forceBaseline = true): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
  return basic.map((b) => Math.min(forceBaseline ? 255 : 32767, Math.max(1, Math.floor((b * scale + 50) / 100))));
}

export interface JpegHeaders {
  /** Quantisation tables by slot (0..3), natural order; the last definition of a slot before SOS wins. */
  tables: Array<number[] | undefined>;
  width: number | null;
  height: number | null;
  /** The frame is lossless JPEG (SOF3, SOF7, SOF11, SOF15): rare, and not what "JPEG" usually means. */
  lossless: boolean;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the marker segments from SOI up to SOS (or the end of what is there). Null when not a JPEG. */
export function readJpegHeaders(bytes: Uint8Array): JpegHeaders | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const headers: JpegHeaders = { tables: [], width: null, height: null, lossless: false };
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return headers; // not a marker where one must be: stop with what was read
    let marker = bytes[at + 1]!;
    at += 2;
    while (marker === 0xff && at < bytes.length) marker = bytes[at++]!; // fill bytes
    if (marker === 0xff) break;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) break; // EOI, SOS: the tables for the image are in
    if (at + 2 > bytes.length) break;
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (length < 2) break;
    const end = Math.min(bytes.length, at + length);
    if (marker === 0xdb) readDqt(bytes, at + 2, end, headers.tables);
    else if (SOF_MARKERS.has(marker) && at + 7 <= end && headers.width === null) {
      const height = (bytes[at + 3]! << 8) | bytes[at + 4]!;
      const width = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      if (width > 0 && height > 0) {
        headers.width = width;
        headers.height = height;
      }
      headers.lossless = (marker & 0x03) === 0x03;
    }
    at += length;
  }
  return headers;
}

/** One DQT segment's payload [from, end): any number of tables, each 8- or 16-bit. A cut-off table is dropped. */
function readDqt(bytes: Uint8Array, from: number, end: number, tables: Array<number[] | undefined>): void {
  let at = from;
  while (at < end) {
    const precision = bytes[at]! >> 4;
    const slot = bytes[at]! & 0x0f;
    if (precision > 1 || slot > 3) return;
    const size = precision === 0 ? 64 : 128;
    if (at + 1 + size > end) return;
    const table = new Array<number>(64);
    for (let k = 0; k < 64; k++) {
      table[ZIGZAG[k]!] = precision === 0 ? bytes[at + 1 + k]! : (bytes[at + 1 + 2 * k]! << 8) | bytes[at + 2 + 2 * k]!;
    }
    tables[slot] = table;
    at += 1 + size;
  }
}

function sad(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 64; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum;
}

const equal = (a: readonly number[], b: readonly number[]) => sad(a, b) === 0;

/**
 * The IJG quality whose luminance table is nearest (sum of absolute differences) table 0, and
 * whether all tables present are exactly IJG's at that quality (table 1 and any others compared
 * with the chrominance table). Baseline (clamped to 255) and 16-bit (clamped to 32767) scalings
 * both count as IJG's; they differ only below quality 25.
 */
export function estimateJpegQuality(tables: ReadonlyArray<readonly number[] | undefined>): { quality: number; standardTables: boolean } | null {
  const luminance = tables[0];
  if (!luminance) return null;
  let best = { quality: 0, distance: Infinity };
  for (let q = 1; q <= 100; q++) {
    const distance = Math.min(sad(luminance, ijgTable(IJG_LUMINANCE, q)), sad(luminance, ijgTable(IJG_LUMINANCE, q, false)));
    if (distance < best.distance) best = { quality: q, distance };
  }
  const standardAt = (forceBaseline: boolean) =>
    tables.every((table, slot) => !table || equal(table, ijgTable(slot === 0 ? IJG_LUMINANCE : IJG_CHROMINANCE, best.quality, forceBaseline)));
  return { quality: best.quality, standardTables: standardAt(true) || standardAt(false) };
}

// ---- WebP, TIFF, PNG headers -----------------------------------------------------------------

const fourcc = (bytes: Uint8Array, at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
const u32le = (bytes: Uint8Array, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 2 ** 24;
const u24le = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);

interface WebpFacts {
  lossy: boolean | null;
  width: number | null;
  height: number | null;
}

/** RIFF chunks of a WebP: 'VP8 ' is lossy, 'VP8L' lossless; an extended file (VP8X) is judged by its image chunks, animation frames included. */
export function readWebp(bytes: Uint8Array): WebpFacts | null {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WEBP') return null;
  const facts: WebpFacts = { lossy: null, width: null, height: null };
  const kinds = new Set<'lossy' | 'lossless'>();
  const walk = (from: number, end: number, depth: number) => {
    let at = from;
    while (at + 8 <= end) {
      const id = fourcc(bytes, at);
      const size = u32le(bytes, at + 4);
      const body = at + 8;
      const bodyEnd = Math.min(end, body + size);
      if (id === 'VP8 ') {
        kinds.add('lossy');
        // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
        if (facts.width === null && body + 10 <= bodyEnd && bytes[body + 3] === 0x9d && bytes[body + 4] === 0x01 && bytes[body + 5] === 0x2a) {
          facts.width = (bytes[body + 6]! | (bytes[body + 7]! << 8)) & 0x3fff;
          facts.height = (bytes[body + 8]! | (bytes[body + 9]! << 8)) & 0x3fff;
        }
      } else if (id === 'VP8L') {
        kinds.add('lossless');
        if (facts.width === null && body + 5 <= bodyEnd && bytes[body] === 0x2f) {
          const bits = u32le(bytes, body + 1);
          facts.width = (bits & 0x3fff) + 1;
          facts.height = ((bits >>> 14) & 0x3fff) + 1;
        }
      } else if (id === 'VP8X' && depth === 0 && body + 10 <= bodyEnd) {
        facts.width = u24le(bytes, body + 4) + 1;
        facts.height = u24le(bytes, body + 7) + 1;
      } else if (id === 'ANMF' && depth === 0 && body + 16 <= bodyEnd) {
        walk(body + 16, bodyEnd, 1); // frame header (16 bytes), then the frame's ALPH/VP8/VP8L chunks
      }
      at = body + size + (size % 2); // chunks are padded to an even size
    }
  };
  walk(12, bytes.length, 0);
  facts.lossy = kinds.has('lossy') ? true : kinds.has('lossless') ? false : null;
  return facts;
}

/** TIFF Compression (tag 259) of the first IFD: lossless codecs, JPEG ones, or null for anything else. */
export function readTiffLossy(bytes: Uint8Array): boolean | null {
  if (bytes.length < 8) return null;
  const little = bytes[0] === 0x49 && bytes[1] === 0x49;
  if (!little && !(bytes[0] === 0x4d && bytes[1] === 0x4d)) return null;
  const u16 = (at: number) => (little ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!);
  const u32 = (at: number) => (little ? u32le(bytes, at) : bytes[at]! * 2 ** 24 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!));
  if (u16(2) !== 42) return null; // BigTIFF (43) and others: not read
  const ifd = u32(4);
  if (ifd + 2 > bytes.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > bytes.length) return null;
    if (u16(entry) !== 259) continue;
    const compression = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
    if ([1, 2, 3, 4, 5, 8, 32773, 32946, 34925].includes(compression)) return false; // none, CCITT, LZW, Deflate, PackBits, LZMA
    if ([6, 7, 34892].includes(compression)) return true; // old JPEG, JPEG, lossy JPEG (DNG)
    return null;
  }
  return false; // no Compression tag: uncompressed
}

/** Width and height from a PNG's IHDR. */
function readPngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24 || fourcc(bytes, 12) !== 'IHDR') return null;
  const u32be = (at: number) => bytes[at]! * 2 ** 24 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
  return { width: u32be(16), height: u32be(20) };
}

// ---- the observation -------------------------------------------------------------------------

const LOSSLESS_FORMATS = new Set(['png', 'bmp', 'gif']);
const LOSSY_FORMATS = new Set(['avif', 'heic']);

export async function observeCondition(bytes: Uint8Array): Promise<ObservedCondition> {
  const observed: ObservedCondition = { format: null, lossy: null, jpegQuality: null, standardTables: null, width: null, height: null, minSide: null };
  try {
    const sniffed = await sniffFormat(bytes, bytes.length, '');
    // Content that is something else (a PDF, a ZIP) is not an image format: reported as unrecognised.
    observed.format = sniffed.kind === 'rejected' && sniffed.reasonCode === 'not_image' ? null : sniffed.format;
  } catch {
    observed.format = null;
  }
  let headerSize: { width: number | null; height: number | null } | null = null;
  try {
    if (observed.format === 'jpeg') {
      const headers = readJpegHeaders(bytes);
      observed.lossy = !headers?.lossless;
      const estimate = headers ? estimateJpegQuality(headers.tables) : null;
      observed.jpegQuality = estimate?.quality ?? null;
      observed.standardTables = estimate?.standardTables ?? null;
      headerSize = headers;
    } else if (observed.format === 'webp') {
      const webp = readWebp(bytes);
      observed.lossy = webp?.lossy ?? null;
      headerSize = webp;
    } else if (observed.format === 'tiff') {
      observed.lossy = readTiffLossy(bytes);
    } else if (observed.format === 'png') {
      observed.lossy = false;
      headerSize = readPngSize(bytes);
    } else if (observed.format !== null && LOSSLESS_FORMATS.has(observed.format)) {
      observed.lossy = false;
    } else if (observed.format !== null && LOSSY_FORMATS.has(observed.format)) {
      observed.lossy = true;
    }
  } catch {
    // A parser bug must not take the observation down: what was found stays.
  }
  if (observed.format !== null) {
    try {
      // Header only: sharp reads no pixels for metadata. The stored size, orientation not applied.
      const metadata = await sharp(bytes, { failOn: 'none', limitInputPixels: false }).metadata();
      if (metadata.width && metadata.height) {
        observed.width = metadata.width;
        observed.height = metadata.height;
      }
    } catch {
      // unreadable by sharp: fall back on the headers read above
    }
  }
  if (observed.width === null && headerSize?.width && headerSize.height) {
    observed.width = headerSize.width;
    observed.height = headerSize.height;
  }
  if (observed.width !== null && observed.height !== null) observed.minSide = Math.min(observed.width, observed.height);
  return observed;
}

export function compressionClass(observed: Pick<ObservedCondition, 'format' | 'lossy' | 'jpegQuality'>): CompressionClass {
  if (observed.lossy === false) return 'lossless';
  if (observed.format === 'jpeg') {
    if (observed.jpegQuality === null) return 'unknown';
    return observed.jpegQuality >= 85 ? 'jpeg-high' : observed.jpegQuality >= 60 ? 'jpeg-mid' : 'jpeg-low';
  }
  if (observed.lossy === true) return observed.format === 'webp' ? 'webp-lossy' : 'other-lossy';
  return 'unknown';
}

const FORMAT_NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', avif: 'AVIF', tiff: 'TIFF', gif: 'GIF', heic: 'HEIC/HEIF', bmp: 'BMP' };

/** Plain words for an examiner, e.g. "JPEG, estimated quality 75 (standard IJG tables), 512 × 512". */
export function describeCondition(observed: ObservedCondition): string {
  const size = observed.width !== null && observed.height !== null ? `${observed.width} × ${observed.height}` : 'size unknown';
  if (observed.format === null) return 'not a recognised image format';
  const name = FORMAT_NAMES[observed.format] ?? observed.format.toUpperCase();
  if (observed.format === 'jpeg') {
    if (observed.jpegQuality === null) return `JPEG, quality unknown (no quantisation table found), ${size}`;
    const tables = observed.standardTables ? 'standard IJG tables' : 'non-standard tables, nearest IJG quality';
    return `JPEG, estimated quality ${observed.jpegQuality} (${tables}), ${size}`;
  }
  const coding = observed.lossy === true ? 'lossy ' : observed.lossy === false ? 'lossless ' : '';
  const note = observed.format === 'gif' ? ' (palette of at most 256 colours)' : observed.lossy === null ? ' (lossy or lossless not known)' : '';
  return `${coding}${name}${note}, ${size}`;
}
