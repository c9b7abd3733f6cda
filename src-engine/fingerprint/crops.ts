// The sliding window of docs/methods.md §1.4, per axis, so non-square images need no special case:
// - side >= 128: stride s = (side - 128) // 2, offsets {0, s, 2s} without duplicates: a 3x3 grid
//   covering corners and centre; sides 128 and 129 give one offset (s = 0), 130 and 131 give 0, 1, 2;
// - side < 128: one crop, the image centred in it with zero padding (offset -(128 - side) // 2).
// This matches training/pipeline/full.py image_crops, so the engine sees what training saw.
import type { DecodedImage } from './decode.ts';

export const CROP = 128;
export const CROP_VALUES = 3 * CROP * CROP;
/** At most three offsets per axis. */
export const MAX_CROPS_PER_IMAGE = 9;

/** Where crops start along one axis; a negative offset means zero padding before the image. */
export function axisOffsets(side: number): number[] {
  // -((128 - side) // 2), written so that it never yields -0.
  if (side < CROP) return [Math.floor((side - CROP + 1) / 2)];
  const stride = Math.floor((side - CROP) / 2);
  return [...new Set([0, stride, 2 * stride])];
}

export interface CropOrigin {
  x: number;
  y: number;
}

/** Crop origins in row-major order (top row left to right first), as training lays them out. */
export function cropLayout(width: number, height: number): CropOrigin[] {
  const xs = axisOffsets(width);
  return axisOffsets(height).flatMap((y) => xs.map((x) => ({ x, y })));
}

/** Index of the crop nearest the image centre (the middle of the grid). */
export function centreCropIndex(width: number, height: number): number {
  const columns = axisOffsets(width).length;
  const rows = axisOffsets(height).length;
  return Math.floor(rows / 2) * columns + Math.floor(columns / 2);
}

/** The image's crops as float32 CHW in [0, 1], one after another: [n, 3, 128, 128]. */
export function extractCrops(image: DecodedImage): { crops: Float32Array; count: number } {
  const layout = cropLayout(image.width, image.height);
  const crops = new Float32Array(layout.length * CROP_VALUES);
  const { width, height, samples, maxValue } = image;
  const plane = CROP * CROP;
  layout.forEach(({ x: x0, y: y0 }, n) => {
    const base = n * CROP_VALUES;
    // Only the part of the crop that lies on the image is copied; the rest stays zero (padding).
    const fromY = Math.max(0, -y0);
    const toY = Math.min(CROP, height - y0);
    const fromX = Math.max(0, -x0);
    const toX = Math.min(CROP, width - x0);
    for (let i = fromY; i < toY; i++) {
      let source = ((y0 + i) * width + x0 + fromX) * 3;
      let target = base + i * CROP + fromX;
      for (let j = fromX; j < toX; j++, source += 3, target++) {
        crops[target] = samples[source]! / maxValue;
        crops[target + plane] = samples[source + 1]! / maxValue;
        crops[target + 2 * plane] = samples[source + 2]! / maxValue;
      }
    }
  });
  return { crops, count: layout.length };
}
