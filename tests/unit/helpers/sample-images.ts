// Small images of every kind intake must tell apart, made on the fly so no binary fixtures are
// committed. Each writer returns the path it wrote.
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { PIXEL_LIMIT } from '../../../src-engine/base/pixel-limit.ts';

const SOLID = { r: 40, g: 90, b: 160 };

function solid(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  return sharp({ create: { width, height, channels, background: channels === 4 ? { ...SOLID, alpha: 0.5 } : SOLID } });
}

/** A gradient, so encoders cannot collapse it and decoders must do real work; `seed` makes it unique. */
export function gradient(width: number, height: number, seed = 0): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x + seed) & 255;
      raw[i + 1] = (y * 3 + seed * 7) & 255;
      raw[i + 2] = (x ^ y ^ seed) & 255;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

async function write(dir: string, name: string, image: Sharp | Buffer | string): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof image === 'string' || Buffer.isBuffer(image) ? image : await image.toBuffer());
  return file;
}

export const writeSample = {
  png: (dir: string, name = 'plain.png', seed = 0) => write(dir, name, gradient(64, 48, seed).png()),
  png16: (dir: string, name = 'deep.png') => write(dir, name, gradient(40, 30, 1).toColourspace('rgb16').png()),
  grayscale: (dir: string, name = 'grey.png') => write(dir, name, gradient(40, 30, 2).toColourspace('b-w').png()),
  rgba: (dir: string, name = 'alpha.png') => write(dir, name, solid(40, 30, 4).png()),
  jpeg: (dir: string, name = 'photo.jpg') => write(dir, name, gradient(64, 48, 3).jpeg()),
  webp: (dir: string, name = 'picture.webp') => write(dir, name, gradient(64, 48, 4).webp()),
  avif: (dir: string, name = 'picture.avif') => write(dir, name, gradient(64, 48, 5).avif()),
  tiff: (dir: string, name = 'scan.tiff') => write(dir, name, gradient(64, 48, 6).tiff()),
  gif: (dir: string, name = 'anim.gif') => write(dir, name, gradient(64, 48, 7).gif()),
  empty: (dir: string, name = 'empty.png') => write(dir, name, Buffer.alloc(0)),
  text: (dir: string, name = 'notes.jpg') => write(dir, name, 'This is a text file pretending to be a JPEG.\n'),
  /** A whole PNG cut in half: the header reads, the pixel data ends early. */
  truncatedPng: async (dir: string, name = 'truncated.png') => {
    const whole = await gradient(256, 256, 8).png({ compressionLevel: 0 }).toBuffer();
    return write(dir, name, whole.subarray(0, Math.floor(whole.length / 2)));
  },
  /** An ISO-BMFF file with an 'ftyp' box of brand 'heic', as an iPhone writes it; no decodable payload. */
  fakeHeic: (dir: string, name = 'IMG_0001.heic') => {
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic')]);
    return write(dir, name, Buffer.concat([ftyp, Buffer.alloc(256, 7)]));
  },
  /** A valid one-colour PNG just over the pixel limit: ~100 KiB that would decode to 100 MP (2 s to make). */
  pixelBomb: (dir: string, name = 'bomb.png') => {
    const bomb = sharp({ create: { width: 10_001, height: PIXEL_LIMIT / 10_000, channels: 3, background: SOLID }, limitInputPixels: false });
    return write(dir, name, bomb.toColourspace('b-w').png({ compressionLevel: 9 }));
  },
};
