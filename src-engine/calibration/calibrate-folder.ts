// `modelprint calibrate`: fits calibration v2 on a folder of real generator folders (the corpus's
// calibration split, used nowhere else) under every evaluation condition, and measures every entry
// on a second folder of generators (the validation split) that no fitting or choice uses: those
// figures are what the UI, the CLI and reports state, and an entry without them (or failing them)
// leaves its evidence inconclusive.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ConditionId } from '../conditions/transform.ts';
import { embedConditions, type ConditionedFolders } from './conditioned-folders.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import type { SetEncoder } from '../set-fingerprint/set-encoder.ts';
import { utcNow } from '../base/time.ts';
import {
  CALIBRATION_FORMAT,
  CALIBRATION_VERSION,
  REFERENCE_COUNTS,
  sealCalibrationSet,
  type CalibrationData,
  type CalibrationEntry,
  type CalibrationSet,
  type Population,
} from './calibration-set.ts';
import { fitCalibrationEntry } from './fit-entry.ts';
import { REAL_SCHEMES, scoreGroups, groupKey } from './real-protocol.ts';
import { validateEntry } from './validate-entry.ts';

/** What attribution and calibration need of a set encoder: its identity and bag -> set fingerprint. */
export type BagEncoder = Pick<SetEncoder, 'info' | 'encode'>;

export interface CalibrateOptions {
  seed: number;
  folds: number;
  conditions: readonly ConditionId[];
  /** The validation generators' folder; null: entries stay unvalidated (and their evidence inconclusive). */
  validationDir: string | null;
  workDir?: string;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

export const DEFAULT_PROTOCOL = { galleryImages: 10, seed: 0, folds: 4 } as const;
/** A validated entry needs this much validation data. */
export const MIN_VALIDATION = { sameComparisons: 20, generators: 3 } as const;

const SCHEME_TEXT = { single: 'one image vs the entry', mean: 'the mean fingerprint of a bag of images vs the entry', deepsets: 'DeepSets' } as const;

export async function calibrateFolder(dir: string, service: FingerprintService, options: CalibrateOptions): Promise<CalibrationSet> {
  const progress = (text: string) => options.onProgress?.(text);
  const calibration = await embedConditions(dir, service, { conditions: options.conditions, workDir: options.workDir, signal: options.signal, onProgress: progress });
  progress('scoring the calibration generators');
  const groups = scoreGroups(calibration.folders, { schemes: REAL_SCHEMES, references: REFERENCE_COUNTS, seed: options.seed, signal: options.signal });
  const population = describePopulation(dir, calibration, 'Calibration population');
  const entries: CalibrationEntry[] = [];
  const notes: string[] = [];
  for (const group of groups) {
    const { pooling, bagSize, references, compression } = group.key;
    const description = `${calibration.extractor.name} on ${population.members.length} real generators: ${SCHEME_TEXT[pooling]}${bagSize > 1 ? `, bags of ${bagSize}` : ''}, entries of ${references} reference image${references === 1 ? '' : 's'}, ${compression} evidence (conditions ${group.conditions.join(', ')})`;
    const entry = fitCalibrationEntry(group.key, group.bags, { folds: options.folds, seed: options.seed, description });
    if (entry && entry.calibration.parameters.a > 0) entries.push(entry);
    else notes.push(`${groupKey(group.key)}: not calibrated (${entry ? 'the score does not increase the LR' : 'no same- or different-source comparison'})`);
  }
  entries.sort((x, y) => groupKey(x).localeCompare(groupKey(y), 'en', { numeric: true }));

  let validationPopulation: Population | null = null;
  let minSide = Math.min(...calibration.folders.flatMap((f) => f.images.flat().map((image) => image.minSide)));
  if (options.validationDir) {
    const validation = await embedConditions(options.validationDir, service, { conditions: options.conditions, workDir: options.workDir, signal: options.signal, onProgress: progress });
    progress('validating on the validation generators');
    validationPopulation = describePopulation(options.validationDir, validation, 'Validation population');
    const validationGroups = new Map(scoreGroups(validation.folders, { schemes: REAL_SCHEMES, references: REFERENCE_COUNTS, seed: options.seed, signal: options.signal }).map((g) => [groupKey(g.key), g]));
    for (const entry of entries) {
      const group = validationGroups.get(groupKey(entry));
      entry.validation = group ? validateEntry(entry, group.bags) : null;
    }
    minSide = Math.max(minSide, Math.min(...validation.folders.flatMap((f) => f.images.flat().map((image) => image.minSide))));
    const shared = population.members.filter((m) => validationPopulation!.members.some((v) => v.name === m.name)).map((m) => m.name);
    if (shared.length > 0) throw new Error(`generators in both the calibration and the validation folders: ${shared.join(', ')} (split by generator)`);
  } else {
    notes.push('No validation folder was given: no entry is validated, so every decision made with this calibration is inconclusive.');
  }
  notes.push('No DeepSets entries: the set encoder was trained on synthetic generators only and is not calibrated on real ones; sets are scored by mean pooling.');
  return sealCalibrationSet({
    format: CALIBRATION_FORMAT,
    version: CALIBRATION_VERSION,
    createdUtc: utcNow(),
    extractor: { name: calibration.extractor.name, sha256: calibration.extractor.sha256 },
    setEncoder: null,
    data: describeData(dir, calibration),
    population,
    validationPopulation,
    protocol: {
      galleryImages: DEFAULT_PROTOCOL.galleryImages,
      seed: options.seed,
      folds: options.folds,
      similarity: 'cosine-minus-cohort-mean',
      conditions: [...options.conditions],
      text:
        `Every image of a generator is a query once (bags of 1 in name order; bags of 5, 10 and 50 cut from a seeded shuffle, seed ${options.seed}); ` +
        "its own generator's entry is the mean of that generator's first R images not in the bag (leave-one-out), every other generator's entry the mean of its first R images, " +
        'and the score is the cosine with an entry minus the mean cosine with the other entries (a cohort normalisation), ' +
        `for R = ${REFERENCE_COUNTS.join(', ')}. Conditions ${options.conditions.join(', ')}: each transform's queries against entries under the same transform and against the published references. ` +
        'Comparisons are grouped by the compression the evidence shows (lossless, JPEG by estimated quality, lossy WebP). Logistic calibration with equal priors, each generator (pair) weighing the same, ' +
        "LRs bounded by the number of generator pairs behind them. Open set: the best score over galleries of 5 entries with and without the source. Held-out figures: generators dealt into " +
        `${options.folds} folds. Validation figures: the same comparisons on the validation generators, with the fitted calibration.`,
    },
    validity: { minSide, minSameComparisons: MIN_VALIDATION.sameComparisons, minGenerators: MIN_VALIDATION.generators },
    entries,
    notes,
  });
}

interface CorpusSplitManifest {
  about?: unknown;
  generators?: Array<{ name?: unknown; family?: unknown; source?: unknown }>;
}

function readManifest(dir: string): { manifest: CorpusSplitManifest; sha256: string } | null {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return null;
  const bytes = fs.readFileSync(file);
  return { manifest: JSON.parse(bytes.toString('utf8')) as CorpusSplitManifest, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The generators behind a folder in plain words, from the corpus's split manifest where there is one. */
export function describePopulation(dir: string, folders: ConditionedFolders, label: string): Population {
  const published = folders.folders.find((f) => f.condition === 'as-published') ?? folders.folders[0]!;
  const listed = readManifest(dir)?.manifest.generators ?? [];
  const members = published.generators.map((name, g) => {
    const known = listed.find((m) => m.name === name);
    return {
      name,
      family: typeof known?.family === 'string' ? known.family : name,
      images: published.images[g]!.length,
      source: typeof known?.source === 'string' ? known.source : path.basename(path.resolve(dir)),
    };
  });
  const about = readManifest(dir)?.manifest.about;
  const description =
    typeof about === 'string'
      ? about
      : `${label}: ${members.length} generators (${members.map((m) => m.name).join(', ')}), ${members.reduce((n, m) => n + m.images, 0)} images`;
  return { description, members };
}

function describeData(dir: string, folders: ConditionedFolders): CalibrationData {
  const published = folders.folders.find((f) => f.condition === 'as-published') ?? folders.folders[0]!;
  const manifest = readManifest(dir);
  const images = published.images.reduce((n, list) => n + list.length, 0);
  return {
    description: `${published.generators.length} generators, ${images} images`,
    folder: path.basename(path.resolve(dir)),
    manifestSha256: manifest?.sha256 ?? null,
    generators: published.generators.length,
    images,
    unreadable: folders.unreadable.filter((u) => u.condition === published.condition).length,
  };
}
