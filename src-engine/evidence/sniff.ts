// What a file really is, from its bytes: the extension is recorded but never trusted.
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { ImageFormat, NotAnalysableReason } from '../api/contract.ts';

const DECODABLE: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
  'image/gif': 'gif',
};

const EXTENSIONS: Record<string, readonly string[]> = {
  png: ['png'],
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

export async function sniffFormat(head: Uint8Array, sizeBytes: number, fileName: string): Promise<SniffResult> {
  const extension = extensionOf(fileName);
  if (sizeBytes === 0) {
    return { kind: 'rejected', format: null, mime: null, extension, extensionMatches: extension === '', reasonCode: 'empty', reason: 'the file is empty (0 bytes)' };
  }
  const detected = await fileTypeFromBuffer(head);
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
