// `modelprint calibrate`: fits the calibration set from a folder of folders (one per generator,
// none of them used anywhere else) with the installed extractor, and the set encoder when one is
// installed. Embeddings come from the shared folder-embedding module (or its cache).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { embedLabelledFolder, type EmbeddedFolder } from '../evaluation/embedded-folder.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { utcNow } from '../time.ts';
import type { SetEncoder } from '../set-fingerprint/set-encoder.ts';
import { compareBags, meanPool, type Pool } from './bag-comparisons.ts';
import { BAG_SIZES, CALIBRATION_FORMAT, CALIBRATION_VERSION, sealCalibrationSet, type CalibrationData, type CalibrationEntry, type CalibrationSet, type Pooling } from './calibration-set.ts';
import { fitCalibrationEntry } from './fit-entry.ts';

/** What attribution and calibration need of a set encoder: its identity and bag -> set fingerprint. */
export type BagEncoder = Pick<SetEncoder, 'info' | 'encode'>;

export interface CalibrateOptions {
  galleryImages: number;
  seed: number;
  folds: number;
  /** Null: no set encoder installed; the DeepSets entries are left out with a note. */
  setEncoder: BagEncoder | null;
  cacheIn?: string;
  cacheOut?: string;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

export const DEFAULT_PROTOCOL = { galleryImages: 10, seed: 0, folds: 4 } as const;

/** The scoring schemes: a single image (mean of one), then mean- and DeepSets-pooled bags. */
function schemes(setEncoder: BagEncoder | null): Array<{ pooling: Pooling; bagSize: number; pool: Pool }> {
  const mean: Pool = async (bag) => meanPool(bag);
  return [
    { pooling: 'single', bagSize: 1, pool: mean },
    ...BAG_SIZES.filter((size) => size > 1).map((bagSize) => ({ pooling: 'mean' as const, bagSize, pool: mean })),
    ...(setEncoder ? BAG_SIZES.map((bagSize) => ({ pooling: 'deepsets' as const, bagSize, pool: (bag: readonly Float32Array[]) => setEncoder.encode(bag) })) : []),
  ];
}

const SCHEME_TEXT: Record<Pooling, string> = {
  single: 'one query image vs the entry',
  mean: 'the mean embedding of a bag of query images vs the entry',
  deepsets: 'the DeepSets set fingerprint of a bag vs the DeepSets fingerprint of the entry images',
};

export async function calibrateFolder(dir: string, service: FingerprintService, options: CalibrateOptions): Promise<CalibrationSet> {
  const embedded = await embedLabelledFolder(dir, service, {
    signal: options.signal,
    cacheIn: options.cacheIn,
    cacheOut: options.cacheOut,
    onProgress: (done, total) => options.onProgress?.(`fingerprinted ${done}/${total}`),
  });
  const byGenerator = embedded.generators.map((_, g) => embedded.embeddings.filter((_, i) => embedded.labels[i] === g));
  const data = describeData(dir, embedded);
  const notes: string[] = [];
  if (!options.setEncoder) notes.push('No set encoder was installed: the DeepSets entries are absent, and sets are scored by mean pooling only.');
  const tooSmall = byGenerator.flatMap((images, g) => (images.length <= options.galleryImages ? [embedded.generators[g]!] : []));
  if (tooSmall.length > 0) throw new Error(`generators with no query image after the ${options.galleryImages}-image entry: ${tooSmall.join(', ')}`);

  const entries: CalibrationEntry[] = [];
  for (const { pooling, bagSize, pool } of schemes(options.setEncoder)) {
    options.onProgress?.(`scoring ${pooling} bags of ${bagSize}`);
    const comparisons = await compareBags(byGenerator, pool, bagSize, options, options.signal);
    if (comparisons.skipped.length > 0) {
      notes.push(`${pooling}/${bagSize}: ${comparisons.skipped.length} generators have fewer query images than the bag size and take no part (${comparisons.skipped.map((g) => embedded.generators[g]).join(', ')})`);
    }
    if (comparisons.same.length === 0) {
      notes.push(`${pooling}/${bagSize}: no generator has ${bagSize} query images; not calibrated`);
      continue;
    }
    const description = `${embedded.extractor.name} on ${data.folder} (${data.generators} generators): ${SCHEME_TEXT[pooling]}${bagSize > 1 ? `, bags of ${bagSize}` : ''}`;
    entries.push(fitCalibrationEntry(pooling, bagSize, comparisons, description, options.folds));
  }
  return sealCalibrationSet({
    format: CALIBRATION_FORMAT,
    version: CALIBRATION_VERSION,
    createdUtc: utcNow(),
    extractor: { name: embedded.extractor.name, sha256: embedded.extractor.sha256 },
    setEncoder: options.setEncoder && { name: options.setEncoder.info.name, sha256: options.setEncoder.info.sha256 },
    data,
    protocol: {
      galleryImages: options.galleryImages,
      seed: options.seed,
      folds: options.folds,
      similarity: 'cosine',
      text:
        `Each generator's entry pools its first ${options.galleryImages} images (name order); the rest are queries. ` +
        `Bags of 1 are every query image; larger bags cut a seeded shuffle of each generator's queries into disjoint bags (seed ${options.seed}, the same bags for every pooling, as \`evaluate\` draws them). ` +
        'Same source: a bag vs its own generator\'s entry; different source: vs every other entry. Logistic calibration, equal priors. ' +
        `Held-out figures: generators dealt into ${options.folds} folds (by name order), each fold's LRs from a calibration fitted on the others.`,
    },
    entries,
    notes,
  });
}

/** The data set's own description (manifest.json `about`, when there is one) and counts. */
function describeData(dir: string, embedded: EmbeddedFolder): CalibrationData {
  const manifestFile = path.join(dir, 'manifest.json');
  let description = `${embedded.generators.length} generators, ${embedded.embeddings.length} images`;
  let manifestSha256: string | null = null;
  if (fs.existsSync(manifestFile)) {
    const bytes = fs.readFileSync(manifestFile);
    manifestSha256 = createHash('sha256').update(bytes).digest('hex');
    const about = (JSON.parse(bytes.toString('utf8')) as { about?: unknown }).about;
    if (typeof about === 'string') description = `${about} ${description}.`;
  }
  return {
    description,
    folder: path.basename(path.resolve(dir)),
    manifestSha256,
    generators: embedded.generators.length,
    images: embedded.embeddings.length,
    unreadable: embedded.unreadable.length,
  };
}
