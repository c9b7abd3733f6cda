// What a file really is, from its bytes: the extension is recorded but never trusted.
import path from 'node:path';
import { fileTypeFromBuffer, fileTypeFromFile, type FileTypeResult } from 'file-type';
import type { ImageFormat, NotAnalysableReason } from '../api/contract.ts';

const DECODABLE: Record<string, ImageFormat> = {
  'image/png': 'png',
  // An animated PNG is a PNG whose first frame is its default image: that frame is analysed.
  'image/apng': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
  'image/gif': 'gif',
};

const EXTENSIONS: Record<string, readonly string[]> = {
  png: ['png', 'apng'],
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  webp: ['webp'],
  avif: ['avif'],
  tiff: ['tif', 'tiff'],
  gif: ['gif'],
  heic: ['heic', 'heif', 'hif'],
};

const HEIF_MIMES = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);

export type SniffResult =
  | { kind: 'image'; format: ImageFormat; mime: string; extension: string; extensionMatches: boolean }
  | {
      kind: 'rejected';
      format: string | null;
      mime: string | null;
      extension: string;
      extensionMatches: boolean;
      reasonCode: NotAnalysableReason;
      reason: string;
    };

export function extensionOf(fileName: string): string {
  return path.extname(fileName).slice(1).toLowerCase();
}

/** Sniffs bytes held in memory: pass the whole file, since some formats (TIFF) keep their index at the end. */
export async function sniffFormat(bytes: Uint8Array, sizeBytes: number, fileName: string): Promise<SniffResult> {
  return classify(sizeBytes === 0 ? undefined : await fileTypeFromBuffer(bytes), sizeBytes, fileName);
}

/**
 * Sniffs a file on disk from the whole of it (the sniffer seeks where the format says, e.g. to a
 * TIFF's index written after the pixels), as intake and provenance both do.
 */
export async function sniffFile(file: string, sizeBytes: number, fileName: string): Promise<SniffResult> {
  return classify(sizeBytes === 0 ? undefined : await fileTypeFromFile(file), sizeBytes, fileName);
}

function classify(detected: FileTypeResult | undefined, sizeBytes: number, fileName: string): SniffResult {
  const extension = extensionOf(fileName);
  if (sizeBytes === 0) {
    return { kind: 'rejected', format: null, mime: null, extension, extensionMatches: extension === '', reasonCode: 'empty', reason: 'the file is empty (0 bytes)' };
  }
  if (!detected) {
    return {
      kind: 'rejected',
      format: null,
      mime: null,
      extension,
      extensionMatches: false,
      reasonCode: 'not_image',
      reason: 'the content is not a recognised image format',
    };
  }
  const known = EXTENSIONS[HEIF_MIMES.has(detected.mime) ? 'heic' : (DECODABLE[detected.mime] ?? '')];
  const extensionMatches = known ? known.includes(extension) : extension === detected.ext;
  const format = DECODABLE[detected.mime];
  if (format) return { kind: 'image', format, mime: detected.mime, extension, extensionMatches };
  const reject = (sniffedFormat: string, reasonCode: NotAnalysableReason, reason: string): SniffResult => ({
    kind: 'rejected',
    format: sniffedFormat,
    mime: detected.mime,
    extension,
    extensionMatches,
    reasonCode,
    reason,
  });
  if (HEIF_MIMES.has(detected.mime)) {
    return reject(
      'heic',
      'unsupported_format',
      'HEIC/HEIF (HEVC-coded) images cannot be decoded by this installation: no HEVC decoder is available. Convert a copy outside the case if analysis is needed; the original is preserved.',
    );
  }
  if (detected.mime.startsWith('image/')) {
    return reject(
      detected.ext,
      'unsupported_format',
      `${detected.ext.toUpperCase()} images (${detected.mime}) are not supported: supported formats are PNG, JPEG, WebP, AVIF, TIFF and GIF`,
    );
  }
  return reject(detected.ext, 'not_image', `the content is ${detected.mime}, not an image`);
}
