// The numpy .npy format (version 1.0, and 2.0 on reading) for 2-D little-endian float32 arrays,
// so embedding caches written by the engine load in Python with np.load and vice versa.

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** One .npy file of '<f4' rows, C order; the header is padded so the data starts on a 64-byte boundary, as numpy does. */
export function encodeNpyF32(rows: readonly Float32Array[], dim: number): Buffer {
  if (rows.some((row) => row.length !== dim)) throw new Error(`every row must have ${dim} values`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length}, ${dim}), }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(prefix);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(rows.length * dim * 4);
  rows.forEach((row, r) => row.forEach((x, d) => data.writeFloatLE(x, (r * dim + d) * 4)));
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]);
}

/** Reads a 2-D '<f4' C-order .npy (numpy writes 1-D [n] shapes too; those are refused: rows need a width). */
export function decodeNpyF32(bytes: Buffer): { rows: Float32Array[]; dim: number } {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw new Error('not a .npy file');
  const major = bytes[6]!;
  if (major !== 1 && major !== 2) throw new Error(`unsupported .npy version ${major}`);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)/.exec(header);
  if (descr !== '<f4' || fortran !== 'False' || !shape) throw new Error(`expected a 2-D little-endian float32 C-order array, header ${header.trim()}`);
  const [n, dim] = [Number(shape[1]), Number(shape[2])];
  const dataStart = start + headerLength;
  if (bytes.length !== dataStart + n * dim * 4) throw new Error(`.npy data is ${bytes.length - dataStart} bytes, the header says ${n} x ${dim} float32`);
  const rows = Array.from({ length: n }, (_, r) => {
    const row = new Float32Array(dim);
    for (let d = 0; d < dim; d++) row[d] = bytes.readFloatLE(dataStart + (r * dim + d) * 4);
    return row;
  });
  return { rows, dim };
}
