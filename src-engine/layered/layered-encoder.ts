// A layered encoder (our own small ViT, or any ViT the examiner supplies with a sidecar) behind an
// onnxruntime session, and the batched path from image files to per-layer embeddings: preprocess
// (layered-preprocess.ts) -> inference -> one row per sidecar output (the CLS token after each
// block). The model is checked against its sidecar when the session opens, with errors that say
// what to fix in the export or the sidecar.
import * as ort from 'onnxruntime-node';
import { prefetched } from '../base/prefetch.ts';
import type { ProviderFacts } from '../base/providers.ts';
import { openCheckedSession, type OnnxSessionOpener } from '../models/onnx-session.ts';
import { preprocessImage } from './layered-preprocess.ts';
import type { LayeredSidecar } from './layered-sidecar.ts';

export interface LayeredFacts extends ProviderFacts {
  /** Number of layers (sidecar outputs) and the width of each embedding. */
  layers: number;
  dim: number;
  /** Images per inference run: 1 for a model exported with a fixed batch of 1. */
  batch: number;
}

/** Images per run for a model with a dynamic batch axis. */
export const DEFAULT_LAYERED_BATCH = 16;

export class LayeredEncoder {
  readonly facts: LayeredFacts;
  readonly sidecar: LayeredSidecar;
  private readonly session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession, sidecar: LayeredSidecar, facts: LayeredFacts) {
    this.session = session;
    this.sidecar = sidecar;
    this.facts = facts;
  }

  /** Opens the model with the first provider that works and checks it against the sidecar on a probe image. */
  static async open(modelPath: string, sidecar: LayeredSidecar, providers: readonly string[], opener?: OnnxSessionOpener): Promise<LayeredEncoder> {
    const opened = await openCheckedSession(modelPath, providers, (session) => checkContract(session, sidecar), opener);
    return new LayeredEncoder(opened.session, sidecar, { ...opened.facts, ...opened.providers });
  }

  /** Runs `count` preprocessed images laid out [count,3,S,S]; returns per image its layers' rows, layer after layer (L x D). */
  async run(pixels: Float32Array, count: number): Promise<Float32Array[]> {
    const { size, input, outputs, token } = this.sidecar;
    const { dim, layers } = this.facts;
    const tensor = new ort.Tensor('float32', pixels.subarray(0, count * 3 * size * size), [count, 3, size, size]);
    const result = await this.session.run({ [input]: tensor }, [...outputs]);
    const images = Array.from({ length: count }, () => new Float32Array(layers * dim));
    outputs.forEach((name, layer) => {
      const out = result[name]!;
      const data = out.data as Float32Array;
      const tokens = token === null ? 1 : out.dims[1]!;
      images.forEach((image, n) => image.set(data.subarray((n * tokens + (token ?? 0)) * dim, (n * tokens + (token ?? 0) + 1) * dim), layer * dim));
    });
    return images;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

async function checkContract(session: ort.InferenceSession, sidecar: LayeredSidecar): Promise<Pick<LayeredFacts, 'layers' | 'dim' | 'batch'>> {
  const { input, outputs, size, token } = sidecar;
  if (!session.inputNames.includes(input)) {
    throw new Error(`the model has no input "${input}" (the sidecar's "input"); its inputs are ${session.inputNames.join(', ')}`);
  }
  const missing = outputs.filter((name) => !session.outputNames.includes(name));
  if (missing.length > 0) {
    throw new Error(`the model has no output ${missing.map((m) => `"${m}"`).join(', ')} named in the sidecar; its outputs are ${session.outputNames.join(', ')}`);
  }
  const batch = batchOf(session.inputMetadata[session.inputNames.indexOf(input)], size);
  // A probe image: a ramp with a checkerboard, so no layer sees a constant input.
  const probe = new Float32Array(3 * size * size).map((_, i) => ((i % 251) / 251 + ((i >> 1) % 2)) / 2 - 0.5);
  const result = await session.run({ [input]: new ort.Tensor('float32', probe, [1, 3, size, size]) }, [...outputs]);
  let dim = 0;
  for (const name of outputs) {
    const out = result[name]!;
    const shape = out.dims.join('x');
    if (out.type !== 'float32') throw new Error(`output "${name}" is ${out.type}, expected float32`);
    if (token === null && (out.dims.length !== 2 || out.dims[0] !== 1)) {
      throw new Error(`output "${name}" has shape ${shape} for one image, expected 1xD (one CLS embedding per image); for [N,T,D] token outputs set "token" in the sidecar`);
    }
    if (token !== null && (out.dims.length !== 3 || out.dims[0] !== 1 || token >= out.dims[1]!)) {
      throw new Error(`output "${name}" has shape ${shape} for one image, expected 1xTxD with token ${token} < T (the sidecar's "token")`);
    }
    const width = out.dims.at(-1)!;
    if (dim !== 0 && width !== dim) throw new Error(`output "${name}" has ${width} dimensions, the earlier outputs ${dim}: every layer must have the same width`);
    dim = width;
    if (!(out.data as Float32Array).every(Number.isFinite)) throw new Error(`output "${name}" is not finite on the probe image`);
  }
  return { layers: outputs.length, dim, batch };
}

/** Images per run from the input's declared shape [N,3,S,S]. */
function batchOf(metadata: ort.InferenceSession.ValueMetadata | undefined, size: number): number {
  if (!metadata?.isTensor || metadata.shape.length === 0) return DEFAULT_LAYERED_BATCH;
  const { shape, type } = metadata;
  const declared = shape.map(String).join('x');
  if (type !== 'float32') throw new Error(`the input is ${type}, expected float32`);
  const fixed = (i: number, value: number) => typeof shape[i] !== 'number' || shape[i] === value;
  if (shape.length !== 4 || !fixed(1, 3) || !fixed(2, size) || !fixed(3, size)) {
    throw new Error(`the input has shape ${declared}, expected Nx3x${size}x${size} (the sidecar's "size" is ${size})`);
  }
  if (typeof shape[0] !== 'number') return DEFAULT_LAYERED_BATCH;
  if (shape[0] === 1) return 1;
  throw new Error(`the input has a fixed batch of ${shape[0]}: export the model with a dynamic batch axis (or a batch of 1)`);
}

export type LayeredResult = { index: number; ok: true; layers: Float32Array } | { index: number; ok: false; message: string };

type Prepared = { index: number; ok: true; pixels: Float32Array } | { index: number; ok: false; message: string };

async function prepare(index: number, load: (index: number) => Promise<Uint8Array>, sidecar: LayeredSidecar): Promise<Prepared> {
  try {
    return { index, ok: true, pixels: await preprocessImage(await load(index), sidecar) };
  } catch (error) {
    return { index, ok: false, message: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
  }
}

/**
 * Embeds images 0..count-1 (bytes from `load`), `facts.batch` per run, reporting each result as
 * its run finishes; decoding the next images overlaps the current run. Stops between runs when
 * `signal` aborts.
 */
export async function embedLayered(
  encoder: LayeredEncoder,
  count: number,
  load: (index: number) => Promise<Uint8Array>,
  options: { signal?: AbortSignal; onResult: (result: LayeredResult) => void },
): Promise<{ cancelled: boolean }> {
  const { batch } = encoder.facts;
  const values = 3 * encoder.sidecar.size ** 2;
  const buffer = new Float32Array(batch * values);
  let pending: number[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const images = await encoder.run(buffer, pending.length);
    pending.forEach((index, i) => options.onResult({ index, ok: true, layers: images[i]! }));
    pending = [];
  };
  for await (const item of prefetched(count, (index) => prepare(index, load, encoder.sidecar), 2 * batch)) {
    if (options.signal?.aborted) return { cancelled: true };
    if (!item.ok) {
      options.onResult(item);
      continue;
    }
    buffer.set(item.pixels, pending.length * values);
    pending.push(item.index);
    if (pending.length === batch) await flush();
  }
  if (options.signal?.aborted) return { cancelled: true };
  await flush();
  return { cancelled: false };
}
