// What a published file is, read without decoding its pixels: the format from its bytes (the
// intake sniffer: many ".png" here are WebP or JPEG), its size from the header (sharp metadata),
// and whether its coding is lossy. Lossy matters twice: a fingerprint learnt on re-compressed
// images is partly a fingerprint of the compression, and a lossy grid cannot be cut into exact tiles.
import sharp, { type Metadata } from 'sharp';
import { sniffFormat } from '../evidence/sniff.ts';

export interface ImageFacts {
  format: string;
  extensionMatches: boolean;
  width: number;
  height: number;
  channels: number;
  /** libvips band format: 'uchar' for 8 bits per sample, 'ushort' for 16. */
  depth: string;
  lossy: boolean;
  hasIccProfile: boolean;
}

export type Inspection = { ok: true; facts: ImageFacts } | { ok: false; reason: string };

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** WebP is lossy when its image data is a VP8 bitstream, lossless when VP8L (also inside VP8X / animation frames). */
export function webpIsLossy(bytes: Uint8Array): boolean | null {
  if (bytes.length < 20 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WEBP') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scan = (start: number, end: number): boolean | null => {
    for (let at = start; at + 8 <= end; ) {
      const id = fourcc(bytes, at);
      const size = view.getUint32(at + 4, true);
      if (id === 'VP8 ') return true;
      if (id === 'VP8L') return false;
      // An animation frame: 16 bytes of frame header, then the frame's own chunks.
      if (id === 'ANMF') {
        const inner = scan(at + 8 + 16, Math.min(end, at + 8 + size));
        if (inner !== null) return inner;
      }
      at += 8 + size + (size & 1);
    }
    return null;
  };
  return scan(12, bytes.length);
}

// TIFF Compression (tag 259) values whose coding throws information away.
const LOSSY_TIFF_COMPRESSION = new Set([6, 7, 34712, 34892, 50001]);

/** Whether the first image of a TIFF is stored with a lossy compression (JPEG, JPEG 2000, WebP...). */
export function tiffIsLossy(bytes: Uint8Array): boolean | null {
  if (bytes.length < 8) return null;
  const little = bytes[0] === 0x49 && bytes[1] === 0x49;
  if (!little && !(bytes[0] === 0x4d && bytes[1] === 0x4d)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(2, little) !== 42) return null; // BigTIFF and others: unknown
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > bytes.length) return null;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + 12 * i;
    if (at + 12 > bytes.length) return null;
    if (view.getUint16(at, little) !== 259) continue;
    const type = view.getUint16(at + 2, little);
    const value = type === 3 ? view.getUint16(at + 8, little) : view.getUint32(at + 8, little);
    return LOSSY_TIFF_COMPRESSION.has(value);
  }
  return false; // no Compression tag: the default is 1, uncompressed
}

function isLossy(format: string, bytes: Uint8Array): boolean {
  switch (format) {
    case 'jpeg':
    case 'avif': // lossless AVIF exists but is rare; counted as lossy
    case 'heic':
      return true;
    case 'webp':
      return webpIsLossy(bytes) ?? true;
    case 'tiff':
      return tiffIsLossy(bytes) ?? true;
    default:
      return false; // png, gif: lossless codings
  }
}

export async function inspectImage(bytes: Buffer, fileName: string): Promise<Inspection> {
  const sniffed = await sniffFormat(bytes, bytes.length, fileName);
  if (sniffed.kind === 'rejected') return { ok: false, reason: `not a usable image: ${sniffed.reason}` };
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    return { ok: false, reason: `unreadable image header: ${(error as Error).message}` };
  }
  if (!metadata.width || !metadata.height) return { ok: false, reason: 'the image header gives no size' };
  return {
    ok: true,
    facts: {
      format: sniffed.format,
      extensionMatches: sniffed.extensionMatches,
      width: metadata.width,
      height: metadata.height,
      channels: metadata.channels ?? 0,
      depth: metadata.depth ?? 'uchar',
      lossy: isLossy(sniffed.format, bytes),
      hasIccProfile: metadata.icc !== undefined,
    },
  };
}
