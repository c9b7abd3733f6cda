// Images with content at every frequency (seeded noise over a gradient), in the pixel formats the
// extractor must accept; written as PNG unless said otherwise.
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { mulberry32 } from '../../../src-engine/base/seeded-random.ts';

export function noisePixels(width: number, height: number, seed: number): Buffer {
  const random = mulberry32(seed);
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(((i / 3) % width) / 4 + random() * 128);
  return pixels;
}

export function noiseImage(width: number, height: number, seed = 1): Sharp {
  return sharp(noisePixels(width, height, seed), { raw: { width, height, channels: 3 } });
}

export async function writeNoisePng(dir: string, name: string, width: number, height: number, seed = 1): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, await noiseImage(width, height, seed).png().toBuffer());
  return file;
}
