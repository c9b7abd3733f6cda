// Identifies the container from the bytes (never the extension) and walks its structure once,
// for the C2PA locator and the anomaly checks to share.
import { isBmff, walkBmff, type BmffWalk } from './bmff-boxes.ts';
import { isJpeg, walkJpeg, type JpegWalk } from './jpeg-segments.ts';
import { isPng, walkPng, type PngWalk } from './png-chunks.ts';
import { isWebp, walkRiff, type RiffWalk } from './riff-chunks.ts';

export type ContainerWalk =
  | { kind: 'png'; walk: PngWalk }
  | { kind: 'jpeg'; walk: JpegWalk }
  | { kind: 'webp'; walk: RiffWalk }
  | { kind: 'bmff'; walk: BmffWalk }
  | { kind: 'other' };

export function walkContainer(bytes: Buffer): ContainerWalk {
  if (isPng(bytes)) return { kind: 'png', walk: walkPng(bytes) };
  if (isJpeg(bytes)) return { kind: 'jpeg', walk: walkJpeg(bytes) };
  if (isWebp(bytes)) return { kind: 'webp', walk: walkRiff(bytes) };
  if (isBmff(bytes)) return { kind: 'bmff', walk: walkBmff(bytes) };
  return { kind: 'other' };
}
