// The extractor the fingerprint tests run: the installed model (resources/models, or the folder in
// $MODELPRINT_MODELS), verified against its card like the engine does.
import { loadModel, locateModelsDir, type InstalledModel } from '../../../src-engine/models/model-registry.ts';

export function installedModel(): InstalledModel {
  return loadModel(locateModelsDir());
}
