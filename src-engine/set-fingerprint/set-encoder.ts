// The DeepSets set encoder (set-encoder paper, docs/methods.md §3): a bag of per-image spectral
// embeddings in, one set fingerprint out. Runs on onnxruntime's CPU provider in the calling
// process: the model is a few small MLPs, cheaper than a round trip to the fingerprint worker.
//
// Model contract (resources/models/set-encoder-v1.onnx, trained by training/train-attribution.sh):
// input float32 [N, dim] (N >= 1, dynamic), output float32 [1, dim]; names and dim in the sidecar
// set-encoder-v1.json `{ input, output, dim }`. The ONNX file is verified against its model card
// like the extractor, since results name the encoder by its sha256.
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ApiError } from '../api/errors.ts';
import { loadModel, locateModelsDir } from '../models/model-registry.ts';
import { assertShippedFile } from '../models/shipped-files.ts';

export const SET_ENCODER_NAME = 'set-encoder-v1';

export interface SetEncoderInfo {
  name: string;
  sha256: string;
  input: string;
  output: string;
  /** Width of the image embeddings it takes and of the set fingerprint it gives. */
  dim: number;
}

/** The installed set encoder's ONNX path, or null when none is installed (mean pooling only). */
export function setEncoderPath(modelsDir: string | null = locateModelsDir(), name = SET_ENCODER_NAME): string | null {
  const file = modelsDir ? path.join(modelsDir, `${name}.onnx`) : null;
  return file && fs.existsSync(file) ? file : null;
}

export class SetEncoder {
  readonly info: SetEncoderInfo;
  private readonly session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession, info: SetEncoderInfo) {
    this.session = session;
    this.info = info;
  }

  /** Verifies the model against its card, reads the sidecar and opens a CPU session; throws an ApiError saying what is wrong. */
  static async open(modelsDir: string | null = locateModelsDir(), name = SET_ENCODER_NAME): Promise<SetEncoder> {
    const model = loadModel(modelsDir, name);
    const sidecarPath = model.onnxPath.replace(/\.onnx$/, '.json');
    if (!fs.existsSync(sidecarPath)) throw new ApiError('not_found', `${sidecarPath} (the set encoder's input/output names) is missing`);
    assertShippedFile(sidecarPath);
    const sidecar = JSON.parse(fs.readFileSync(sidecarPath, 'utf8')) as Partial<SetEncoderInfo>;
    if (typeof sidecar.input !== 'string' || typeof sidecar.output !== 'string' || !Number.isSafeInteger(sidecar.dim) || sidecar.dim! < 1) {
      throw new ApiError('internal', `${sidecarPath} must give { input, output, dim }`);
    }
    const session = await ort.InferenceSession.create(model.onnxPath, { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 4 });
    if (!session.inputNames.includes(sidecar.input) || !session.outputNames.includes(sidecar.output)) {
      await session.release();
      throw new ApiError('internal', `${model.onnxPath} has inputs [${session.inputNames}] and outputs [${session.outputNames}], not the sidecar's ${sidecar.input} -> ${sidecar.output}`);
    }
    return new SetEncoder(session, { name, sha256: model.sha256, input: sidecar.input, output: sidecar.output, dim: sidecar.dim! });
  }

  /** The set fingerprint of one bag of image embeddings (order does not matter to a DeepSets model). */
  async encode(embeddings: readonly ArrayLike<number>[]): Promise<Float32Array> {
    const { dim, input, output } = this.info;
    if (embeddings.length === 0) throw new Error('a set fingerprint needs at least one image');
    const data = new Float32Array(embeddings.length * dim);
    embeddings.forEach((e, i) => {
      if (e.length !== dim) throw new Error(`the set encoder takes ${dim}-d embeddings, got ${e.length}`);
      data.set(e, i * dim);
    });
    const result = await this.session.run({ [input]: new ort.Tensor('float32', data, [embeddings.length, dim]) });
    const tensor = result[output]!;
    if (tensor.data.length !== dim) throw new Error(`the set encoder returned ${tensor.data.length} values, expected ${dim}`);
    return Float32Array.from(tensor.data as Float32Array);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
