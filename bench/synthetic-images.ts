// Unique, photo-like PNGs made from cheap procedural content: a tilted two-colour gradient, soft
// blobs and mild sensor-like noise. The noise keeps PNG sizes realistic (close to the 1.4 MB of a
// 1024x1024 SDXL output) without paying for pure noise, which no real image is like.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
// Seeded, so image n is the same on every machine and every run.
import { mulberry32 } from '../src-engine/base/seeded-random.ts';

interface Blob {
  x: number;
  y: number;
  r2: number;
  rgb: [number, number, number];
}

export function syntheticPixels(size: number, seed: number): Buffer {
  const random = mulberry32(seed * 2654435761 + 1);
  const colour = (): [number, number, number] => [random() * 255, random() * 255, random() * 255];
  const [from, to] = [colour(), colour()];
  const angle = random() * Math.PI * 2;
  const [dx, dy] = [Math.cos(angle) / size, Math.sin(angle) / size];
  const blobs: Blob[] = Array.from({ length: 3 + Math.floor(random() * 5) }, () => {
    const r = size * (0.05 + random() * 0.25);
    return { x: random() * size, y: random() * size, r2: r * r, rgb: colour() };
  });
  const noise = 4 + random() * 6;
  // Clamped, so blobs plus noise saturate at 0 and 255 instead of wrapping around.
  const pixels = new Uint8ClampedArray(size * size * 3);
  let i = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const g = Math.min(1, Math.max(0, 0.5 + (x - size / 2) * dx + (y - size / 2) * dy));
      let r = from[0] + (to[0] - from[0]) * g;
      let gr = from[1] + (to[1] - from[1]) * g;
      let b = from[2] + (to[2] - from[2]) * g;
      for (const blob of blobs) {
        const d2 = (x - blob.x) ** 2 + (y - blob.y) ** 2;
        if (d2 < blob.r2) {
          const w = 1 - d2 / blob.r2;
          r += (blob.rgb[0] - r) * w;
          gr += (blob.rgb[1] - gr) * w;
          b += (blob.rgb[2] - b) * w;
        }
      }
      const n = (random() - 0.5) * noise;
      pixels[i++] = r + n;
      pixels[i++] = gr + n;
      pixels[i++] = b + n;
    }
  }
  return Buffer.from(pixels.buffer);
}

export function syntheticPng(size: number, seed: number): Promise<Buffer> {
  return sharp(syntheticPixels(size, seed), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

/**
 * Makes `count` images of `size` px in `dir` (named synthetic-00000.png ...), skipping those
 * already there so a cache folder is filled once. Returns the paths in order.
 */
export async function ensureSyntheticPngs(dir: string, count: number, size: number, parallel = 2): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, n) => path.join(dir, `synthetic-${String(n).padStart(5, '0')}.png`));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let n = next++; n < count; n = next++) {
      const file = files[n]!;
      if (fs.existsSync(file)) continue;
      // Written under a temporary name so an interrupted run never leaves a half file in the cache.
      fs.writeFileSync(`${file}.part`, await syntheticPng(size, n));
      fs.renameSync(`${file}.part`, file);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return files;
}
