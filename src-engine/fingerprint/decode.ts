// Decodes an image to the exact pixels the extractor sees. Never resizes (resampling erases the
// periodic traces the fingerprint is made of) and never applies EXIF orientation (a rotation is
// not what the generator wrote). Colour is brought to sRGB, alpha dropped, grey repeated on three
// channels. Samples stay integers here (1 or 2 bytes each): crops.ts turns only the crops into
// floats, so a 100 MP image costs 300 MB while it is decoded, not 1.2 GB.
import sharp from 'sharp';
import { PIXEL_LIMIT } from '../base/pixel-limit.ts';

export interface DecodedImage {
  width: number;
  height: number;
  /** Interleaved RGB, row-major (HWC). */
  samples: Uint8Array | Uint16Array;
  /** 255 for 8-bit samples, 65535 for 16-bit: dividing by it gives values in [0, 1]. */
  maxValue: 255 | 65535;
}

export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  // The same strictness as intake: what intake accepted as whole decodes here too.
  const input = () => sharp(bytes, { limitInputPixels: PIXEL_LIMIT, failOn: 'warning' });
  const { depth } = await input().metadata();
  // Anything deeper than 8 bits (16-bit PNG/TIFF, float TIFF) keeps 16 bits of precision.
  const deep = depth !== undefined && depth !== 'uchar' && depth !== 'char';
  const { data, info } = await input()
    .removeAlpha()
    .toColourspace(deep ? 'rgb16' : 'srgb')
    .raw({ depth: deep ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
  const samples = deep ? asUint16(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { width: info.width, height: info.height, samples, maxValue: deep ? 65535 : 255 };
}

/** Native-endian 16-bit view of sharp's output; copied only if the buffer is not 2-byte aligned. */
function asUint16(data: Buffer): Uint16Array {
  const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}
