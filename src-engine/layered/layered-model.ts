// Finds the layered encoder (resources/models/<name>.onnx with its card <name>.md and sidecar
// <name>.layers.json) and proves it is the model its card describes, as the model registry does
// for the spectral extractor: every curve and reference set is labelled with the encoder's
// sha256 and must be reproducible from it. The bundled encoder is layered-encoder-v1 (trained by
// training/attribution); $MODELPRINT_LAYERED_ENCODER names another one in the same folder, e.g. a
// ViT the examiner exported and trusts (it then needs its own reference set: build-reference-set.ts).
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors.ts';
import { loadModel, type InstalledModel } from '../models/model-registry.ts';
import { type LayeredSidecar, readSidecar, sidecarPathFor } from './layered-sidecar.ts';
import { assertShippedFile } from '../models/shipped-files.ts';

export const DEFAULT_LAYERED_ENCODER = 'layered-encoder-v1';

export interface InstalledLayeredEncoder extends InstalledModel {
  sidecarPath: string;
  sidecar: LayeredSidecar;
}

export function layeredEncoderName(env: NodeJS.ProcessEnv = process.env): string {
  return env.MODELPRINT_LAYERED_ENCODER?.trim() || DEFAULT_LAYERED_ENCODER;
}

/** Loads and verifies `<dir>/<name>.onnx` against its card and reads its sidecar; throws an ApiError saying what is wrong. */
export function loadLayeredEncoder(dir: string | null, name: string = layeredEncoderName()): InstalledLayeredEncoder {
  const onnxPath = dir ? path.join(dir, `${name}.onnx`) : `resources/models/${name}.onnx`;
  if (!dir || !fs.existsSync(onnxPath)) {
    throw new ApiError('not_found', `the layered encoder for C_T curves is not installed: ${onnxPath} is missing (set MODELPRINT_MODELS to its folder)`);
  }
  const model = loadModel(dir, name);
  const sidecarPath = sidecarPathFor(model.onnxPath);
  assertShippedFile(sidecarPath);
  try {
    return { ...model, sidecarPath, sidecar: readSidecar(sidecarPath) };
  } catch (error) {
    throw new ApiError('invalid_input', (error as Error).message);
  }
}
