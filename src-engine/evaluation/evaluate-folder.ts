// `modelprint evaluate`: fingerprints a folder of folders (one per generator) with the installed
// extractor, through the same worker path as case evidence (or loads an embedding cache), and
// runs the paper's protocols on the embeddings, then the attribution figures (bags, calibration,
// decorrelation, open set: attribution-evaluation.ts). Touches no case.
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { evaluateAttribution, type AttributionEvaluation, type AttributionResources } from './attribution-evaluation.ts';
import type { ConditionId } from '../conditions/transform.ts';
import { embedConditions } from '../calibration/conditioned-folders.ts';
import { embedLabelledFolder, type EmbedFolderOptions } from '../labelled-folders/embedded-folder.ts';
import { evaluateReal, type RealEvaluation } from './real-evaluation.ts';
import { daviesBouldin, silhouetteSamples } from '../metrics/cluster-quality.ts';
import { identify, splitGallery, verify, type VerificationResult } from '../metrics/protocols.ts';
import { mulberry32 } from '../base/seeded-random.ts';

export const GALLERY_SIZE = 10;
export const PAIRS_EACH = 5000;

export interface EvaluationOptions extends EmbedFolderOptions {
  /** Progress of the condition copies and their fingerprints. */
  onConditionProgress?: (text: string) => void;
  seed: number;
  gallerySize?: number;
  pairsEach?: number;
  /** Set encoder and calibration for the attribution figures (default: neither, mean pooling only). */
  resources?: AttributionResources;
  /** Generators held out of the gallery for the open-set figures: a count, or a fraction in (0, 1). */
  unknown?: number;
  /** The real-data rows: these conditions (as-published first), leave-one-out, calibrated; none when absent. */
  conditions?: readonly ConditionId[];
  /** Where transformed copies and their embeddings are kept. */
  workDir?: string;
}

const NO_RESOURCES: AttributionResources = { setEncoder: null, setEncoderNote: 'no set encoder given', calibration: null, calibrationNote: 'no calibration' };

export interface GeneratorReport {
  name: string;
  images: number;
  unreadable: number;
  gallery: number;
  queries: number;
  correct: number;
  /** Mean silhouette of the generator's images (null with a single generator). */
  silhouette: number | null;
  note: string | null;
}

export interface EvaluationReport {
  folder: string;
  model: { name: string; sha256: string; provider: string };
  /** Where the embeddings came from (a cache file, or null: computed now) and where they were saved. */
  embeddingCache: { loadedFrom: string | null; savedTo: string | null };
  seed: number;
  protocol: { gallerySize: number; pairsEach: number; similarity: 'cosine'; silhouetteDistance: '1 - cosine'; daviesBouldinDistance: 'euclidean' };
  generators: GeneratorReport[];
  images: number;
  ignoredFiles: number;
  unreadable: Array<{ file: string; message: string }>;
  identification: { queries: number; accuracy: number; macroF1: number } | null;
  verification: VerificationResult | null;
  clusters: { silhouette: number; daviesBouldin: number } | null;
  /** Single images and bags: identification, verification, decorrelation, open set (uncalibrated); null without two generators. */
  attribution: AttributionEvaluation | null;
  /** Per condition and scheme, leave-one-out, with the shipped calibration and the decision rule; null when not asked for. */
  real: RealEvaluation | null;
  notes: string[];
}

export async function evaluateFolder(dir: string, service: FingerprintService, options: EvaluationOptions): Promise<EvaluationReport> {
  const gallerySize = options.gallerySize ?? GALLERY_SIZE;
  const pairsEach = options.pairsEach ?? PAIRS_EACH;
  const conditioned = options.conditions?.length
    ? await embedConditions(dir, service, { conditions: options.conditions, workDir: options.workDir, signal: options.signal, onProgress: (text) => options.onConditionProgress?.(text) })
    : null;
  const folder = await embedLabelledFolder(dir, service, conditioned && !options.cacheIn ? { ...options, cacheIn: conditioned.caches['as-published'] } : options);
  const embedded = folder.embeddings.map((embedding, i) => ({ generator: folder.labels[i]!, embedding }));
  const unreadable = folder.unreadable.map(({ file, message }) => ({ file, message }));

  // Generators with no readable image take no part; the others are numbered densely.
  const present = [...new Set(embedded.map((e) => e.generator))].sort((a, b) => a - b);
  const classOf = new Map(present.map((generator, label) => [generator, label]));
  const embeddings = embedded.map((e) => e.embedding);
  const labels = embedded.map((e) => classOf.get(e.generator)!);
  const notes: string[] = [];
  const random = mulberry32(options.seed);

  const split = splitGallery(labels, present.length, gallerySize);
  const identification = present.length >= 2 && split.queries.length > 0 ? identify(embeddings, labels, split) : null;
  if (!identification) notes.push('identification needs at least two generators and one query image');
  const verification = verify(embeddings, labels, present.length, pairsEach, random);
  if (!verification) notes.push('verification needs at least two generators and one generator with two images');
  else if (verification.distinctSamePairs < pairsEach) {
    notes.push(`only ${verification.distinctSamePairs} distinct same-generator pairs exist: the ${pairsEach} drawn repeat them`);
  }
  const clusterable = present.length >= 2 && embeddings.length > present.length;
  const silhouettes = clusterable ? silhouetteSamples(embeddings, labels) : null;
  if (!clusterable) notes.push('cluster quality needs at least two generators and more images than generators');
  const attribution =
    present.length >= 2
      ? await evaluateAttribution(embeddings, labels, present.map((g) => folder.generators[g]!), split, options.resources ?? NO_RESOURCES, {
          seed: options.seed,
          unknown: options.unknown,
          signal: options.signal,
        })
      : null;
  if (!attribution) notes.push('attribution figures need at least two generators');
  const real = conditioned && present.length >= 2 ? evaluateReal(conditioned.folders, options.resources?.calibration?.set ?? null, { seed: options.seed, signal: options.signal }) : null;
  if (conditioned && !options.resources?.calibration) notes.push(`the condition rows are uncalibrated: ${options.resources?.calibrationNote ?? 'no calibration'}`);

  const generators = folder.generators.map((name, generator): GeneratorReport => {
    const label = classOf.get(generator);
    const images = labels.filter((l) => l === label).length;
    const gallery = label === undefined ? 0 : split.gallery[label]!.length;
    const own = silhouettes?.filter((_, i) => labels[i] === label) ?? [];
    let note: string | null = null;
    if (images === 0) note = 'no readable image: left out';
    else if (images <= gallerySize) {
      note = `fewer than ${gallerySize + 1} images: gallery of ${gallery} (all but one image${images === 1 ? '; no query' : ''})`;
    }
    return {
      name,
      images,
      unreadable: folder.unreadable.filter((u) => u.generator === generator).length,
      gallery,
      queries: images - gallery,
      correct: label === undefined ? 0 : (identification?.perClass[label]!.correct ?? 0),
      silhouette: own.length > 0 ? own.reduce((a, b) => a + b, 0) / own.length : null,
      note,
    };
  });
  return {
    folder: dir,
    model: folder.extractor,
    embeddingCache: { loadedFrom: folder.fromCache, savedTo: options.cacheOut ?? null },
    seed: options.seed,
    protocol: { gallerySize, pairsEach, similarity: 'cosine', silhouetteDistance: '1 - cosine', daviesBouldinDistance: 'euclidean' },
    generators,
    images: embeddings.length,
    ignoredFiles: folder.ignored,
    unreadable,
    identification: identification && { queries: identification.queries, accuracy: identification.accuracy, macroF1: identification.macroF1 },
    verification,
    clusters: silhouettes && {
      silhouette: silhouettes.reduce((a, b) => a + b, 0) / silhouettes.length,
      daviesBouldin: daviesBouldin(embeddings, labels),
    },
    attribution,
    real,
    notes,
  };
}
