// The C_T reference set of a layered encoder: the per-layer embeddings of T (the generators'
// real training pool) and P (held-out real images) that every curve is measured against
// (docs/methods.md §2). Two files in resources/ct-reference:
//   <encoder>.reference.json  header: encoderSha256, layers, dim, tCount, pCount, description,
//                             binSha256, and the encoder's sidecar (its preprocessing);
//   <encoder>.reference.bin   float32 little-endian, [layer][T rows, then P rows][dim].
// A set is used only when the bin matches binSha256 and the installed encoder is the one (sha256
// and preprocessing) that embedded it: embeddings of another encoder mean nothing here.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/errors.ts';
import { IntegrityApiError } from '../api/integrity-error.ts';
import type { LayeredSidecar } from '../layered/layered-sidecar.ts';
import { utcNow } from '../base/time.ts';
import type { Matrix } from '../base/linear-algebra/matrix.ts';
import { assertShippedFile } from '../models/shipped-files.ts';

export const REFERENCE_FORMAT = 'modelprint-ct-reference';
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const headerSchema = z.object({
  format: z.literal(REFERENCE_FORMAT),
  version: z.literal(1),
  encoderName: z.string().min(1),
  encoderSha256: sha256Hex,
  sidecar: z.record(z.string(), z.unknown()),
  layers: z.number().int().positive(),
  dim: z.number().int().positive(),
  tCount: z.number().int().min(2),
  pCount: z.number().int().positive(),
  description: z.string(),
  sources: z.object({ T: z.string(), P: z.string() }),
  createdUtc: z.string(),
  binSha256: sha256Hex,
});

export type ReferenceHeader = z.infer<typeof headerSchema>;

export interface ReferenceLayer {
  T: Matrix;
  P: Matrix;
}

export interface LoadedReference {
  header: ReferenceHeader;
  headerPath: string;
  /** One entry per layer. */
  layers: ReferenceLayer[];
}

const REFERENCE_SUBDIR = path.join('resources', 'ct-reference');

/** The reference folder: $MODELPRINT_CT_REFERENCE, the packaged app's resources, or resources/ct-reference above this file. */
export function locateReferenceDir(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.dirname): string | null {
  if (env.MODELPRINT_CT_REFERENCE) return path.resolve(env.MODELPRINT_CT_REFERENCE);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = resourcesPath ? [path.join(resourcesPath, 'ct-reference')] : [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, REFERENCE_SUBDIR));
    if (path.dirname(dir) === dir) break;
  }
  return candidates.find((dir) => fs.existsSync(dir)) ?? null;
}

export function referencePaths(dir: string, encoderName: string): { header: string; bin: string } {
  return { header: path.join(dir, `${encoderName}.reference.json`), bin: path.join(dir, `${encoderName}.reference.bin`) };
}

export interface ReferenceContent {
  encoder: { name: string; sha256: string; sidecar: LayeredSidecar };
  description: string;
  sources: { T: string; P: string };
  /** Per layer, T's and P's rows (every layer the same counts and width). */
  layers: ReferenceLayer[];
}

/** Writes the bin and its header; returns the header. */
export function writeReferenceSet(dir: string, content: ReferenceContent): ReferenceHeader {
  const first = content.layers[0];
  if (!first) throw new Error('a reference set needs at least one layer');
  const { rows: tCount, cols: dim } = first.T;
  const pCount = first.P.rows;
  const rowsPerLayer = tCount + pCount;
  const data = new Float32Array(content.layers.length * rowsPerLayer * dim);
  content.layers.forEach(({ T, P }, layer) => {
    if (T.rows !== tCount || P.rows !== pCount || T.cols !== dim || P.cols !== dim) throw new Error(`layer ${layer} has another shape than layer 0`);
    data.set(T.data, layer * rowsPerLayer * dim);
    data.set(P.data, (layer * rowsPerLayer + tCount) * dim);
  });
  const bytes = toLittleEndian(data);
  const header: ReferenceHeader = {
    format: REFERENCE_FORMAT,
    version: 1,
    encoderName: content.encoder.name,
    encoderSha256: content.encoder.sha256,
    sidecar: content.encoder.sidecar,
    layers: content.layers.length,
    dim,
    tCount,
    pCount,
    description: content.description,
    sources: content.sources,
    createdUtc: utcNow(),
    binSha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const files = referencePaths(dir, content.encoder.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(files.bin, bytes);
  fs.writeFileSync(files.header, `${JSON.stringify(header, null, 1)}\n`);
  return header;
}

/** Reads and checks the header alone (cheap: no bin read). Throws an ApiError saying what is wrong. */
export function readReferenceHeader(dir: string | null, encoder: { name: string; sha256: string; sidecar: LayeredSidecar }): { header: ReferenceHeader; headerPath: string; binPath: string } {
  const files = dir ? referencePaths(dir, encoder.name) : referencePaths(REFERENCE_SUBDIR, encoder.name);
  if (!dir || !fs.existsSync(files.header) || !fs.existsSync(files.bin)) {
    throw new ApiError('not_found', `no C_T reference set for ${encoder.name} is installed (${files.header} and .bin): build it with src-engine/builders/build-reference-set.ts`);
  }
  assertShippedFile(files.header);
  assertShippedFile(files.bin);
  let parsed: ReturnType<typeof headerSchema.safeParse>;
  try {
    parsed = headerSchema.safeParse(JSON.parse(fs.readFileSync(files.header, 'utf8')));
  } catch (error) {
    throw new ApiError('internal', `${files.header} is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed.success) throw new ApiError('internal', `${files.header} is not a C_T reference header: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const header = parsed.data;
  if (header.encoderSha256 !== encoder.sha256) {
    throw new ApiError(
      'conflict',
      `the C_T reference set was embedded by encoder ${header.encoderName} ${header.encoderSha256}, not the installed ${encoder.name} ${encoder.sha256}: rebuild it with build-reference-set.ts`,
    );
  }
  if (JSON.stringify(header.sidecar) !== JSON.stringify(encoder.sidecar)) {
    throw new ApiError('conflict', `the C_T reference set was embedded with other preprocessing than ${encoder.name}'s sidecar now says: rebuild it with build-reference-set.ts`);
  }
  const expectedBytes = header.layers * (header.tCount + header.pCount) * header.dim * 4;
  if (fs.statSync(files.bin).size !== expectedBytes) {
    throw new ApiError('internal', `${files.bin} holds ${fs.statSync(files.bin).size} bytes, the header describes ${expectedBytes}: the reference set is damaged; reinstall it`);
  }
  return { header, headerPath: files.header, binPath: files.bin };
}

/** Loads a reference set after proving its bin against binSha256; throws an ApiError saying what is wrong. */
export function loadReferenceSet(dir: string | null, encoder: { name: string; sha256: string; sidecar: LayeredSidecar }): LoadedReference {
  const { header, headerPath, binPath } = readReferenceHeader(dir, encoder);
  const bytes = fs.readFileSync(binPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== header.binSha256) {
    throw new IntegrityApiError(`${binPath} does not match its header: its sha256 is ${sha256}, the header states ${header.binSha256}. The reference set was changed or damaged; reinstall it.`);
  }
  const data = fromLittleEndian(bytes);
  const { tCount, pCount, dim } = header;
  const perLayer = (tCount + pCount) * dim;
  const layers = Array.from({ length: header.layers }, (_, layer) => ({
    T: { rows: tCount, cols: dim, data: data.subarray(layer * perLayer, layer * perLayer + tCount * dim) },
    P: { rows: pCount, cols: dim, data: data.subarray(layer * perLayer + tCount * dim, (layer + 1) * perLayer) },
  }));
  return { header, headerPath, layers };
}

function toLittleEndian(data: Float32Array): Buffer {
  if (os.endianness() === 'LE') return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const bytes = Buffer.alloc(data.byteLength);
  data.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes;
}

function fromLittleEndian(bytes: Buffer): Float32Array {
  if (os.endianness() !== 'LE') return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => bytes.readFloatLE(i * 4));
  // A copy: the Buffer may sit at an offset that is not 4-byte aligned in its pool.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
