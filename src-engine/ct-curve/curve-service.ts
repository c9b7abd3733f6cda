// The installed layered encoder, its C_T reference set and the curve workers, started on first use
// and shared by every job of the engine (and by the CLI). The encoder is verified against its
// card on every use and reopened when it changed; the reference set is verified (bin sha256,
// encoder sha256 and preprocessing) and prepared in the workers once per process: its PCA and
// cells are a deterministic function of T and P, so every curve reuses them.
import type { WorkerFile } from '../base/read-worker-file.ts';
import { providersToTry } from '../base/providers.ts';
import type { LayeredFacts } from '../layered/layered-encoder.ts';
import { type InstalledLayeredEncoder, layeredEncoderName, loadLayeredEncoder } from '../layered/layered-model.ts';
import { locateModelsDir } from '../models/model-registry.ts';
import { CT_DEFAULTS, type CtOptions, type CtResult } from './ct-statistic.ts';
import { curveValues, type CurveValues, MINIMUM_CURVE_IMAGES } from './curve-record.ts';
import { CurveWorkers } from './curve-workers.ts';
import { loadReferenceSet, locateReferenceDir, readReferenceHeader, type ReferenceHeader } from './reference-set.ts';

export interface CurveServiceOptions {
  /** The models folder (default: located by model-registry.ts). */
  modelsDir?: string | null;
  /** The reference sets' folder (default: located by reference-set.ts). */
  referenceDir?: string | null;
  encoderName?: string;
  providers?: string[];
  /** C_T settings (default: docs/methods.md §2, CT_DEFAULTS). */
  ct?: CtOptions;
  /** Curve workers (default: one per core, up to 4). */
  workers?: number;
}

export interface CurveResources {
  encoder: InstalledLayeredEncoder;
  reference: ReferenceHeader;
}

export interface ReadyCurves extends CurveResources {
  facts: LayeredFacts;
}

export interface EmbeddedFiles {
  /** Per file, its layers' embeddings (L x D, layer after layer), or null when it failed. */
  embeddings: Array<Float32Array | null>;
  failures: Array<{ index: number; message: string }>;
  cancelled: boolean;
}

export interface ComputedCurve extends EmbeddedFiles {
  curve: CurveValues;
  resources: ReadyCurves;
}

export class CurveService {
  private readonly modelsDir: string | null;
  private readonly referenceDir: string | null;
  private readonly encoderName: string;
  private readonly providers: string[];
  readonly ct: Required<CtOptions>;
  private readonly workers: CurveWorkers;
  private opened: { sha256: string; generation: number; facts: Promise<LayeredFacts> } | undefined;
  private preparedKey: string | undefined;
  private preparing: Promise<void> | undefined;

  constructor(options: CurveServiceOptions = {}) {
    this.modelsDir = options.modelsDir === undefined ? locateModelsDir() : options.modelsDir;
    this.referenceDir = options.referenceDir === undefined ? locateReferenceDir() : options.referenceDir;
    this.encoderName = options.encoderName ?? layeredEncoderName();
    this.providers = options.providers ?? providersToTry();
    this.ct = { ...CT_DEFAULTS, ...options.ct };
    this.workers = new CurveWorkers(options.workers);
  }

  /** The installed encoder and its reference set, both verified (the bin's hash only when first prepared); throws an ApiError saying what is missing. */
  resources(): CurveResources {
    const encoder = loadLayeredEncoder(this.modelsDir, this.encoderName);
    return { encoder, reference: readReferenceHeader(this.referenceDir, encoder).header };
  }

  /** As resources(), or null when either is not installed (nothing is started). */
  currentResources(): CurveResources | null {
    try {
      return this.resources();
    } catch {
      return null;
    }
  }

  /** The key gallery curves are stored under for the installed encoder and reference set; null when either is missing. */
  currentKey(): { encoderSha256: string; referenceSha256: string } | null {
    const resources = this.currentResources();
    return resources && { encoderSha256: resources.encoder.sha256, referenceSha256: resources.reference.binSha256 };
  }

  /** Opens the encoder in the workers and prepares the reference set (once per process and set). */
  async ready(): Promise<ReadyCurves> {
    const resources = this.resources();
    const { encoder, reference } = resources;
    const { generation } = this.workers;
    if (this.opened?.sha256 !== encoder.sha256 || this.opened.generation !== generation) {
      const facts = this.workers.openEncoder(encoder.onnxPath, encoder.sidecar, this.providers);
      this.opened = { sha256: encoder.sha256, generation, facts };
      facts.catch(() => {
        if (this.opened?.facts === facts) this.opened = undefined;
      });
    }
    const facts = await this.opened.facts;
    if (facts.layers !== reference.layers || facts.dim !== reference.dim) {
      throw new Error(`the encoder gives ${facts.layers} layers of ${facts.dim} dimensions, the reference set holds ${reference.layers} of ${reference.dim}`);
    }
    await this.prepare(resources);
    return { ...resources, facts };
  }

  private key(reference: ReferenceHeader): string {
    return `${reference.binSha256}:${JSON.stringify(this.ct)}`;
  }

  private async prepare({ encoder, reference }: CurveResources): Promise<void> {
    const key = this.key(reference);
    while (!this.workers.isPrepared(key)) {
      if (!this.preparing) {
        const previous = this.preparedKey;
        this.preparing = (async () => {
          if (previous !== undefined && previous !== key) await this.workers.forget(previous);
          const loaded = loadReferenceSet(this.referenceDir, encoder);
          await this.workers.prepare(key, loaded.layers, this.ct);
          this.preparedKey = key;
        })().finally(() => (this.preparing = undefined));
      }
      await this.preparing;
    }
  }

  /** Per-layer embeddings of files, in the workers; `onProgress` after each file. */
  async embed(files: WorkerFile[], options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<EmbeddedFiles> {
    await this.ready();
    const embeddings: Array<Float32Array | null> = files.map(() => null);
    const failures: EmbeddedFiles['failures'] = [];
    let done = 0;
    const { cancelled } =
      files.length === 0
        ? { cancelled: false }
        : await this.workers.embed(files, {
            signal: options.signal,
            onResult: (result) => {
              if (result.ok) embeddings[result.index] = result.layers;
              else failures.push({ index: result.index, message: result.message });
              options.onProgress?.(++done, files.length);
            },
          });
    return { embeddings, failures, cancelled };
  }

  /** C_T per layer of a set of images given as their embeddings (each L x D). */
  async measure(embeddings: readonly Float32Array[]): Promise<CtResult[]> {
    const { reference } = await this.ready();
    const { layers, dim } = reference;
    const m = embeddings.length;
    const perLayer = Array.from({ length: layers }, () => new Float32Array(m * dim));
    embeddings.forEach((image, row) => {
      if (image.length !== layers * dim) throw new Error(`an embedding has ${image.length} values, expected ${layers} x ${dim}`);
      for (let layer = 0; layer < layers; layer++) perLayer[layer]!.set(image.subarray(layer * dim, (layer + 1) * dim), row * dim);
    });
    return this.workers.measure(this.key(reference), perLayer.map((data) => ({ rows: m, cols: dim, data })));
  }

  /** The curve of the files that embed (failures are left out and reported); not measured below the minimum. */
  async curveOf(
    files: WorkerFile[],
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; onMeasure?: () => void } = {},
  ): Promise<ComputedCurve> {
    const resources = await this.ready();
    const embedded = await this.embed(files, options);
    const images = embedded.embeddings.filter((e): e is Float32Array => e !== null);
    const measure = !embedded.cancelled && images.length >= MINIMUM_CURVE_IMAGES;
    if (measure) options.onMeasure?.();
    const measured = measure ? await this.measure(images) : null;
    return { ...embedded, resources, curve: curveValues(images.length, resources.reference.layers, measured) };
  }

  async close(): Promise<void> {
    this.opened = undefined;
    this.preparedKey = undefined;
    await this.workers.close();
  }
}
