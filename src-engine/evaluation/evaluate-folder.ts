// `modelprint evaluate`: fingerprints a folder of folders (one per generator) with the installed
// extractor, through the same worker path as case evidence, and runs the paper's protocols on
// the embeddings. Touches no case.
import fs from 'node:fs';
import path from 'node:path';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { daviesBouldin, silhouetteSamples } from './cluster-quality.ts';
import { identify, splitGallery, verify, type VerificationResult } from './protocols.ts';
import { mulberry32 } from './seeded-random.ts';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff', '.gif']);
export const GALLERY_SIZE = 10;
export const PAIRS_EACH = 5000;

export interface EvaluationOptions {
  seed: number;
  gallerySize?: number;
  pairsEach?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

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
  seed: number;
  protocol: { gallerySize: number; pairsEach: number; similarity: 'cosine'; silhouetteDistance: '1 - cosine'; daviesBouldinDistance: 'euclidean' };
  generators: GeneratorReport[];
  images: number;
  ignoredFiles: number;
  unreadable: Array<{ file: string; message: string }>;
  identification: { queries: number; accuracy: number; macroF1: number } | null;
  verification: VerificationResult | null;
  clusters: { silhouette: number; daviesBouldin: number } | null;
  notes: string[];
}

interface Listing {
  generators: string[];
  files: Array<{ file: string; generator: number }>;
  ignored: number;
}

/** Generators are the folder's non-hidden subfolders; their images are the files directly inside. */
export function listLabelledImages(dir: string): Listing {
  const generators = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const files: Listing['files'] = [];
  let ignored = 0;
  generators.forEach((name, generator) => {
    for (const entry of fs.readdirSync(path.join(dir, name), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isFile() && !entry.name.startsWith('.') && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        files.push({ file: path.join(dir, name, entry.name), generator });
      } else {
        ignored++;
      }
    }
  });
  return { generators, files, ignored };
}

export async function evaluateFolder(dir: string, service: FingerprintService, options: EvaluationOptions): Promise<EvaluationReport> {
  const gallerySize = options.gallerySize ?? GALLERY_SIZE;
  const pairsEach = options.pairsEach ?? PAIRS_EACH;
  const listing = listLabelledImages(dir);
  if (listing.generators.length === 0) throw new Error(`${dir} has no subfolders: expected one folder of images per generator`);
  const { model, worker, facts } = await service.ready();

  const embedded: Array<{ generator: number; embedding: Float32Array }> = [];
  const unreadable: EvaluationReport['unreadable'] = [];
  let done = 0;
  const { cancelled } = await worker.embed(
    listing.files.map(({ file }) => ({ path: file })),
    {
      signal: options.signal,
      onResult: (result) => {
        const { file, generator } = listing.files[result.index]!;
        if (result.ok) embedded.push({ generator, embedding: result.embedding });
        else unreadable.push({ file: path.relative(dir, file), message: result.message });
        options.onProgress?.(++done, listing.files.length);
      },
    },
  );
  if (cancelled) throw new Error('evaluation cancelled');

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

  const generators = listing.generators.map((name, generator): GeneratorReport => {
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
      unreadable: listing.files.filter((f) => f.generator === generator).length - images,
      gallery,
      queries: images - gallery,
      correct: label === undefined ? 0 : (identification?.perClass[label]!.correct ?? 0),
      silhouette: own.length > 0 ? own.reduce((a, b) => a + b, 0) / own.length : null,
      note,
    };
  });
  return {
    folder: dir,
    model: { name: model.name, sha256: model.sha256, provider: facts.provider },
    seed: options.seed,
    protocol: { gallerySize, pairsEach, similarity: 'cosine', silhouetteDistance: '1 - cosine', daviesBouldinDistance: 'euclidean' },
    generators,
    images: embeddings.length,
    ignoredFiles: listing.ignored,
    unreadable,
    identification: identification && { queries: identification.queries, accuracy: identification.accuracy, macroF1: identification.macroF1 },
    verification,
    clusters: silhouettes && {
      silhouette: silhouettes.reduce((a, b) => a + b, 0) / silhouettes.length,
      daviesBouldin: daviesBouldin(embeddings, labels),
    },
    notes,
  };
}
