// Whether a PNG or WebP is whole, from its container alone: decoders stop once they have the
// pixels, so a PNG cut after its last IDAT (no IEND) or a WebP shorter than its RIFF size decodes
// "fine" and would be taken for the whole file. Reads only chunk headers, a few bytes at a time.
import fs from 'node:fs/promises';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface ContainerFacts {
  /** Why the file is not whole (truncated or damaged), or null when its container is complete. */
  truncated: string | null;
  /** PNG only: an acTL chunk before the image data (an animated PNG, APNG). */
  animated: boolean;
  /** APNG: the number of frames acTL declares. */
  frames: number | null;
}

export async function checkContainer(file: string, format: string): Promise<ContainerFacts> {
  if (format !== 'png' && format !== 'webp') return { truncated: null, animated: false, frames: null };
  const handle = await fs.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    return format === 'png' ? await checkPng(read, size) : await checkWebp(read, size);
  } finally {
    await handle.close();
  }
}

type Read = (position: number, length: number) => Promise<Buffer>;

async function checkPng(read: Read, size: number): Promise<ContainerFacts> {
  const facts: ContainerFacts = { truncated: null, animated: false, frames: null };
  if (!PNG_SIGNATURE.equals(await read(0, 8))) return { ...facts, truncated: 'the PNG signature is damaged' };
  let pos = 8;
  let sawImageData = false;
  for (;;) {
    if (pos + 12 > size) {
      facts.truncated = `the PNG ends after ${size} bytes without its IEND chunk: the file is truncated`;
      return facts;
    }
    const header = await read(pos, 8);
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (pos + 12 + length > size) {
      facts.truncated = `the PNG's ${JSON.stringify(type.replace(/[^\x20-\x7e]/g, '?'))} chunk at byte ${pos} runs past the end of the file (${size} bytes): the file is truncated`;
      return facts;
    }
    if (type === 'acTL' && !sawImageData && length >= 8) {
      facts.animated = true;
      facts.frames = (await read(pos + 8, 4)).readUInt32BE(0);
    }
    if (type === 'IDAT') sawImageData = true;
    if (type === 'IEND') return facts;
    pos += 12 + length;
  }
}

async function checkWebp(read: Read, size: number): Promise<ContainerFacts> {
  const facts: ContainerFacts = { truncated: null, animated: false, frames: null };
  const header = await read(0, 12);
  if (header.length < 12) return { ...facts, truncated: `the WebP is only ${size} bytes: too short for its RIFF header` };
  const declared = header.readUInt32LE(4) + 8;
  if (size < 20 || declared <= 12) return { ...facts, truncated: `the WebP is only ${size} bytes and holds no image data (its RIFF header declares ${declared} bytes)` };
  if (declared > size) return { ...facts, truncated: `the WebP's RIFF header declares ${declared} bytes but the file has ${size}: the file is truncated` };
  return facts;
}
