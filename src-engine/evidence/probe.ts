// Decodes an image once, fully, to prove it is whole and to make its thumbnail; reads its facts.
import sharp, { type Metadata } from 'sharp';
import type { NotAnalysableReason } from '../api/contract.ts';
import { PIXEL_LIMIT } from '../base/pixel-limit.ts';

export const THUMBNAIL_SIZE = 256;

export interface ImageFacts {
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  colorSpace: string;
  hasAlpha: boolean;
  pages: number;
}

export type ProbeResult =
  | { ok: true; facts: ImageFacts; thumbnail: Uint8Array }
  | { ok: false; reasonCode: NotAnalysableReason; reason: string; facts?: Partial<ImageFacts> };

const BITS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, complex: 64, double: 64, dpcomplex: 128 };

export async function probeImage(file: string): Promise<ProbeResult> {
  let metadata: Metadata;
  try {
    metadata = await sharp(file, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch (error) {
    return { ok: false, reasonCode: 'corrupt', reason: `the image header cannot be read: ${messageOf(error)}` };
  }
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  const facts: ImageFacts = {
    width,
    height,
    channels: metadata.channels ?? 0,
    bitDepth: metadata.bitsPerSample ?? BITS[metadata.depth ?? ''] ?? 0,
    colorSpace: metadata.space ?? 'unknown',
    hasAlpha: metadata.hasAlpha ?? false,
    pages: metadata.pages ?? 1,
  };
  if (width * height > PIXEL_LIMIT) {
    return {
      ok: false,
      reasonCode: 'too_many_pixels',
      reason: `${width}x${height} = ${(width * height / 1e6).toFixed(1)} MP exceeds the ${PIXEL_LIMIT / 1e6} MP limit (possible decompression bomb); not decoded`,
      facts,
    };
  }
  try {
    // failOn 'warning' turns libpng/libjpeg complaints about truncated or damaged data into errors.
    const thumbnail = await sharp(file, { limitInputPixels: PIXEL_LIMIT, failOn: 'warning' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { ok: true, facts, thumbnail };
  } catch (error) {
    return { ok: false, reasonCode: 'corrupt', reason: `the image data is damaged or truncated: ${messageOf(error)}`, facts };
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
