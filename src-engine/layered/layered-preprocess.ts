// An image as the layered encoder sees it, exactly as its sidecar says: shorter side resized to
// `resize` (bilinear), a centred `size` x `size` crop, RGB scaled to [0, 1] and normalised per
// channel, laid out CHW as float32. Every embedding the engine compares (T, P, gallery, case)
// goes through this one function, so preprocessing cannot differ between them. As decode.ts,
// EXIF orientation is not applied and alpha is dropped.
import sharp from 'sharp';
import { PIXEL_LIMIT } from '../base/pixel-limit.ts';
import type { LayeredSidecar } from './layered-sidecar.ts';

export type Preprocessing = Pick<LayeredSidecar, 'size' | 'resize' | 'mean' | 'std'>;

export async function preprocessImage(bytes: Uint8Array, spec: Preprocessing): Promise<Float32Array> {
  const input = () => sharp(bytes, { limitInputPixels: PIXEL_LIMIT, failOn: 'warning' });
  const { width, height } = await input().metadata();
  if (!width || !height) throw new Error('the image has no size');
  // As torchvision's Resize(int): the shorter side becomes `resize`, the longer one is truncated.
  const shorter = Math.min(width, height);
  const [resizedWidth, resizedHeight] = [width, height].map((side) => (side === shorter ? spec.resize : Math.floor((side * spec.resize) / shorter))) as [number, number];
  // As torchvision's CenterCrop: offset round((side - size) / 2), halves to even.
  const left = roundHalfEven((resizedWidth - spec.size) / 2);
  const top = roundHalfEven((resizedHeight - spec.size) / 2);
  const { data, info } = await input()
    .removeAlpha()
    .toColourspace('srgb')
    .resize(resizedWidth, resizedHeight, { fit: 'fill', kernel: 'linear' })
    .extract({ left, top, width: spec.size, height: spec.size })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
  const plane = spec.size * spec.size;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (data[i * 3 + c]! / 255 - spec.mean[c]!) / spec.std[c]!;
  }
  return out;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}
