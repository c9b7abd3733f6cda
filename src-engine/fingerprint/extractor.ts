// The extractor model behind an onnxruntime session, and the batched path from image files to
// image fingerprints: decode -> 3x3 window of crops -> inference -> mean of the crop embeddings.
//
// Model contract (training/export_onnx.py): input `crops` float32 [N,3,128,128] RGB in [0,1];
// outputs `embedding` [N,D] (L2-normalised per crop), `residual` [N,3,h,h], `spectrum`
// [N,3,128,128] (|DFT| or its log, DC at [0,0]). It is checked when the session opens.
import * as ort from 'onnxruntime-node';
import { openCheckedSession, type OnnxSessionOpener } from '../models/onnx-session.ts';
import { centreCropIndex, CROP, CROP_VALUES, extractCrops, MAX_CROPS_PER_IMAGE } from './crops.ts';
import { decodeImage } from './decode.ts';
import { prefetched } from '../base/prefetch.ts';
import type { ProviderFacts } from '../base/providers.ts';

export type OutputName = 'embedding' | 'residual' | 'spectrum';
const OUTPUTS: readonly OutputName[] = ['embedding', 'residual', 'spectrum'];

/** How the `spectrum` output encodes |DFT|: as is, or as ln(|DFT| + SPECTRUM_EPSILON). */
export type SpectrumForm = 'magnitude' | 'log-magnitude';
export const SPECTRUM_EPSILON = 1e-3;

/** What the probe crop shows about the model. */
interface ModelFacts {
  embeddingDim: number;
  /** Side of the residual (128 minus the residual stage's border). */
  residualSize: number;
  spectrumForm: SpectrumForm;
}

export interface ExtractorFacts extends ModelFacts, ProviderFacts {}

/**
 * Crops per inference run: eight 3x3 images. Measured on 2 cores with 1024 px PNGs (CPU time per
 * image, whole path): 9 crops 77 ms, 36 crops 61-64 ms, 72 crops 54-59 ms, 144 crops 53 ms; peak
 * RSS 265 / 365 / 470 / 677 MB. Beyond 72 the gain no longer pays for the memory.
 */
export const DEFAULT_BATCH_CROPS = 72;

export class FingerprintExtractor {
  readonly facts: ExtractorFacts;
  private readonly session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession, facts: ExtractorFacts) {
    this.session = session;
    this.facts = facts;
  }

  /** Opens the model with the first provider that works and checks the I/O contract on a probe crop. */
  static async open(modelPath: string, providers: readonly string[], opener?: OnnxSessionOpener): Promise<FingerprintExtractor> {
    const opened = await openCheckedSession(modelPath, providers, checkContract, opener);
    return new FingerprintExtractor(opened.session, { ...opened.providers, ...opened.facts });
  }

  /** Runs `count` crops laid out as [count,3,128,128]; returns the requested outputs' data. */
  async run(crops: Float32Array, count: number, outputs: readonly OutputName[]): Promise<Partial<Record<OutputName, Float32Array>>> {
    const input = new ort.Tensor('float32', crops.subarray(0, count * CROP_VALUES), [count, 3, CROP, CROP]);
    const result = await this.session.run({ crops: input }, [...outputs]);
    return Object.fromEntries(outputs.map((name) => [name, result[name]!.data as Float32Array]));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** A fixed crop with structure at every frequency (a ramp plus a 2 px checkerboard). */
function probeCrop(): Float32Array {
  const crop = new Float32Array(CROP_VALUES);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < CROP; i++) {
      for (let j = 0; j < CROP; j++) crop[(c * CROP + i) * CROP + j] = (((7 * i + 13 * j + 50 * c) % 200) + 28 * ((i + j) % 2)) / 255;
    }
  }
  return crop;
}

async function checkContract(session: ort.InferenceSession): Promise<ModelFacts> {
  const missing = OUTPUTS.filter((name) => !session.outputNames.includes(name));
  if (!session.inputNames.includes('crops') || missing.length > 0) {
    throw new Error(`the model does not follow the extractor contract (input crops; outputs ${OUTPUTS.join(', ')}): missing ${['crops', ...missing].join(', ')}`);
  }
  const input = new ort.Tensor('float32', probeCrop(), [1, 3, CROP, CROP]);
  const out = await session.run({ crops: input });
  const [embedding, residual, spectrum] = OUTPUTS.map((name) => out[name]!);
  const dims = (t: ort.Tensor) => t.dims.join('x');
  if (embedding!.dims.length !== 2 || embedding!.dims[0] !== 1) throw new Error(`embedding has shape ${dims(embedding!)}, expected 1xD`);
  const h = residual!.dims[2]!;
  if (residual!.dims.length !== 4 || residual!.dims[1] !== 3 || residual!.dims[3] !== h) throw new Error(`residual has shape ${dims(residual!)}, expected 1x3xhxh`);
  if (dims(spectrum!) !== `1x3x${CROP}x${CROP}`) throw new Error(`spectrum has shape ${dims(spectrum!)}, expected 1x3x${CROP}x${CROP}`);
  return {
    embeddingDim: embedding!.dims[1]!,
    residualSize: h,
    spectrumForm: spectrumFormOf(residual!.data as Float32Array, h, spectrum!.data as Float32Array),
  };
}

/**
 * Tells a plain from a log magnitude spectrum by recomputing a few DFT bins of the probe's
 * residual (first channel) and comparing them with the model's spectrum at the same bins.
 */
export function spectrumFormOf(residual: Float32Array, h: number, spectrum: Float32Array): SpectrumForm {
  let linearError = 0;
  let logError = 0;
  for (const [ku, kv] of [[0, 0], [0, 32], [32, 0], [32, 32], [17, 45]] as const) {
    // Output bin k holds source bin floor(k * h / 128): the nearest resize folded into the DFT.
    const u = Math.floor((ku * h) / CROP);
    const v = Math.floor((kv * h) / CROP);
    let re = 0;
    let im = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < h; x++) {
        const angle = (-2 * Math.PI * (((u * y) % h) + ((v * x) % h))) / h;
        re += residual[y * h + x]! * Math.cos(angle);
        im += residual[y * h + x]! * Math.sin(angle);
      }
    }
    const magnitude = Math.hypot(re, im);
    const value = spectrum[ku * CROP + kv]!;
    linearError += Math.abs(value - magnitude);
    logError += Math.abs(value - Math.log(magnitude + SPECTRUM_EPSILON));
  }
  return logError < linearError ? 'log-magnitude' : 'magnitude';
}

export type EmbedResult = { index: number; ok: true; embedding: Float32Array; crops: number } | { index: number; ok: false; message: string };

export type PreparedImage =
  | { index: number; ok: true; crops: Float32Array; count: number; /** which crop is the centre one */ centre: number }
  | { index: number; ok: false; message: string };

/** Bytes -> crops, with any decoding problem turned into a result instead of a throw. */
export async function prepareCrops(index: number, load: (index: number) => Promise<Uint8Array>): Promise<PreparedImage> {
  try {
    const image = await decodeImage(await load(index));
    return { index, ok: true, ...extractCrops(image), centre: centreCropIndex(image.width, image.height) };
  } catch (error) {
    return { index, ok: false, message: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
  }
}

export interface EmbedOptions {
  signal?: AbortSignal;
  batchCrops?: number;
  onResult: (result: EmbedResult) => void;
}

/**
 * Fingerprints images 0..count-1 (bytes from `load`), several images per inference run; each
 * result is reported as soon as its batch finishes. Stops between batches when `signal` aborts.
 */
export async function embedImages(extractor: FingerprintExtractor, count: number, load: (index: number) => Promise<Uint8Array>, options: EmbedOptions): Promise<{ cancelled: boolean }> {
  // An image's crops always go into one run together.
  const batchCrops = Math.max(MAX_CROPS_PER_IMAGE, options.batchCrops ?? DEFAULT_BATCH_CROPS);
  const buffer = new Float32Array(batchCrops * CROP_VALUES);
  let batch: Array<Extract<PreparedImage, { ok: true }>> = [];
  let used = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const { embedding } = await extractor.run(buffer, used, ['embedding']);
    const dim = extractor.facts.embeddingDim;
    let row = 0;
    for (const item of batch) {
      options.onResult({ index: item.index, ok: true, embedding: meanEmbedding(embedding!, row, item.count, dim), crops: item.count });
      row += item.count;
    }
    batch = [];
    used = 0;
  };
  // Enough decoded ahead to fill the next batch while this one runs.
  const lookahead = 2 * Math.ceil(batchCrops / MAX_CROPS_PER_IMAGE);
  for await (const item of prefetched(count, (index) => prepareCrops(index, load), lookahead)) {
    if (options.signal?.aborted) return { cancelled: true };
    if (!item.ok) {
      options.onResult(item);
      continue;
    }
    if (used + item.count > batchCrops) await flush();
    if (options.signal?.aborted) return { cancelled: true };
    buffer.set(item.crops, used * CROP_VALUES);
    used += item.count;
    batch.push(item);
  }
  await flush();
  return { cancelled: false };
}

/** The image fingerprint: mean of its crop embeddings, L2-normalised (as training evaluates it). */
export function meanEmbedding(embeddings: Float32Array, firstRow: number, rows: number, dim: number): Float32Array {
  const sum = new Float64Array(dim);
  for (let r = firstRow; r < firstRow + rows; r++) {
    for (let d = 0; d < dim; d++) sum[d]! += embeddings[r * dim + d]!;
  }
  const norm = Math.hypot(...sum) || 1;
  return Float32Array.from(sum, (v) => v / norm);
}
