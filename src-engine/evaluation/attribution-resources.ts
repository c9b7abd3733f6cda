// Opens what the attribution figures of `evaluate` use besides the extractor: the installed set
// encoder (DeepSets) and the shipped calibration for the extractor. Either may be missing (before
// training or `modelprint calibrate` made it) or unusable; the evaluation then says why instead of
// failing, and reports what it can (mean pooling, Cllr_min without Cllr).
import { ApiError } from '../api/errors.ts';
import { loadCalibrationSet, locateCalibration } from '../calibration/calibration-set.ts';
import { locateModelsDir } from '../models/model-registry.ts';
import { SetEncoder, setEncoderPath } from '../set-fingerprint/set-encoder.ts';
import type { AttributionResources } from './attribution-evaluation.ts';

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function openAttributionResources(extractor: { name: string; sha256: string }, modelsDir: string | null = locateModelsDir()): Promise<AttributionResources> {
  let setEncoder: SetEncoder | null = null;
  let setEncoderNote: string | null = null;
  if (setEncoderPath(modelsDir) === null) setEncoderNote = 'no set encoder installed (resources/models/set-encoder-v1.onnx)';
  else {
    try {
      setEncoder = await SetEncoder.open(modelsDir);
    } catch (error) {
      setEncoderNote = `the set encoder cannot be used: ${reason(error)}`;
    }
  }
  const file = locateCalibration(extractor.name);
  if (file === null) return { setEncoder, setEncoderNote, calibration: null, calibrationNote: `no calibration for ${extractor.name} (resources/calibration/${extractor.name}.calibration.json)` };
  try {
    const calibration = loadCalibrationSet(file, { extractorSha256: extractor.sha256, setEncoderSha256: setEncoder?.info.sha256 ?? null });
    return { setEncoder, setEncoderNote, calibration, calibrationNote: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { setEncoder, setEncoderNote, calibration: null, calibrationNote: `no calibration: ${reason(error)}` };
  }
}
