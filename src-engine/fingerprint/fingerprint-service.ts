// The installed extractor and the worker that runs it, started on first use and shared by every
// job and view of the engine (and by the CLI). If the model file changes on disk it is verified
// and opened again; if the worker dies, the next use starts a new one.
import type { ModelInfo } from '../api/contract.ts';
import { loadModel, locateModelsDir, type InstalledModel } from '../models/model-registry.ts';
import type { ExtractorFacts } from './extractor.ts';
import { providersToTry } from '../base/providers.ts';
import { FingerprintWorker } from './worker-client.ts';

export interface ReadyExtractor {
  model: InstalledModel;
  worker: FingerprintWorker;
  facts: ExtractorFacts;
}

export interface FingerprintServiceOptions {
  /** The models folder (default: located by model-registry.ts). */
  modelsDir?: string;
  /** The extractor (default: $MODELPRINT_EXTRACTOR, else the engine's default): an older one re-examines old cases as they were. */
  modelName?: string;
  providers?: string[];
}

export class FingerprintService {
  private readonly modelsDir: string | null;
  private readonly modelName: string | undefined;
  private readonly providers: string[];
  private worker: FingerprintWorker | undefined;
  private opening: { sha256: string; ready: Promise<ReadyExtractor> } | undefined;

  constructor(options: FingerprintServiceOptions = {}) {
    this.modelsDir = options.modelsDir ?? locateModelsDir();
    this.modelName = options.modelName ?? (process.env.MODELPRINT_EXTRACTOR || undefined);
    this.providers = options.providers ?? providersToTry();
  }

  /** The installed, verified model; throws an ApiError saying what is wrong otherwise. */
  model(): InstalledModel {
    return loadModel(this.modelsDir, this.modelName);
  }

  /** The current model's sha256, or null when no usable model is installed (nothing is started). */
  currentModelSha(): string | null {
    try {
      return this.model().sha256;
    } catch {
      return null;
    }
  }

  async ready(): Promise<ReadyExtractor> {
    const model = this.model();
    if (!this.worker?.alive) {
      this.worker = new FingerprintWorker();
      this.opening = undefined;
    }
    if (this.opening?.sha256 !== model.sha256) {
      const worker = this.worker;
      const ready = worker.open(model.onnxPath, this.providers).then((facts) => ({ model, worker, facts }));
      this.opening = { sha256: model.sha256, ready };
      // A failed open is not cached: the next call tries again (e.g. after the model is reinstalled).
      ready.catch(() => {
        if (this.opening?.ready === ready) this.opening = undefined;
      });
    }
    return this.opening.ready;
  }

  async modelInfo(): Promise<ModelInfo> {
    const { model, facts } = await this.ready();
    return {
      name: model.name,
      sha256: model.sha256,
      embeddingDim: facts.embeddingDim,
      card: model.card,
      providersTried: facts.providersTried,
      provider: facts.provider,
    };
  }

  async close(): Promise<void> {
    this.opening = undefined;
    await this.worker?.close();
    this.worker = undefined;
  }
}
