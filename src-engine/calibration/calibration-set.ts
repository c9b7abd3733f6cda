// The calibration set the engine attributes with: one fitted score-to-LR calibration per way of
// scoring (a single image, or a bag pooled by its mean or by the DeepSets encoder), bag size,
// number of reference images behind the gallery entry, and compression of the evidence, each with
// an open-set calibration (is the source in the gallery at all?), held-out figures, Tippett data
// and the figures measured on validation generators. Written by `modelprint calibrate`, read here;
// a file whose id does not match its content, or that was made for another extractor, is refused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/errors.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { COMPRESSION_CLASSES } from '../conditions/observed.ts';
import { calibrationIsIntact } from './calibration.ts';
import {
  CALIBRATION_FORMAT, CALIBRATION_VERSION, POOLINGS,
  type CalibrationEntry, type CalibrationSet, type CompressionClass, type EntryKey, type Pooling,
} from '../api/calibration.ts';
import { assertShippedFile } from '../models/shipped-files.ts';

export { CALIBRATION_FORMAT, CALIBRATION_VERSION, POOLINGS };
export type {
  CalibrationData, CalibrationEntry, CalibrationProtocol, CalibrationSet, EntryKey, EntryValidation, Pooling, Population,
  PopulationMember, Validity,
} from '../api/calibration.ts';
export const BAG_SIZES = [1, 5, 10, 50] as const;
/** Reference images behind a gallery entry that the calibration distinguishes. */
export const REFERENCE_COUNTS = [1, 3, 5, 10, 25] as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const figures = { cllr: z.number(), cllrMin: z.number(), sameMisleadingRate: z.number(), differentMisleadingRate: z.number() };
const lrFigures = {
  ...figures,
  same: z.number().int(),
  different: z.number().int(),
  generators: z.number().int(),
  differentAtLeast10: z.number(),
  differentAtLeast100: z.number(),
  sameAtMostTenth: z.number(),
};
const tippettSchema = z.object({ thresholds: z.array(z.number()), sameAtLeast: z.array(z.number()), differentAtLeast: z.array(z.number()) });
const calibrationSchema = z.object({
  id: sha256Hex,
  method: z.enum(['logistic', 'logistic-platt']),
  parameters: z.object({ a: z.number(), b: z.number(), prior: z.number() }),
  training: z.object({
    description: z.string(),
    sameCount: z.number().int(),
    differentCount: z.number().int(),
    scoreRange: z.tuple([z.number(), z.number()]),
    log10LrBounds: z.tuple([z.number(), z.number()]).optional(),
  }),
  validation: z.object(figures),
});
const populationSchema = z.object({
  description: z.string(),
  members: z.array(z.object({ name: z.string(), family: z.string(), images: z.number().int(), source: z.string() })),
});
const setSchema = z.object({
  format: z.literal(CALIBRATION_FORMAT),
  version: z.literal(CALIBRATION_VERSION),
  id: sha256Hex,
  createdUtc: z.string(),
  extractor: z.object({ name: z.string(), sha256: sha256Hex }),
  setEncoder: z.object({ name: z.string(), sha256: sha256Hex }).nullable(),
  data: z.object({ description: z.string(), folder: z.string(), manifestSha256: sha256Hex.nullable(), generators: z.number().int(), images: z.number().int(), unreadable: z.number().int() }),
  population: populationSchema,
  validationPopulation: populationSchema.nullable(),
  protocol: z.object({
    galleryImages: z.number().int(),
    seed: z.number().int(),
    folds: z.number().int(),
    similarity: z.literal('cosine-minus-cohort-mean'),
    conditions: z.array(z.string()),
    text: z.string(),
  }),
  validity: z.object({ minSide: z.number().int(), minSameComparisons: z.number().int(), minGenerators: z.number().int() }),
  entries: z.array(
    z.object({
      pooling: z.enum(POOLINGS),
      bagSize: z.number().int().positive(),
      references: z.number().int().positive(),
      compression: z.enum(COMPRESSION_CLASSES),
      calibration: calibrationSchema,
      openSet: z.object({ calibration: calibrationSchema, gallerySize: z.number().int() }).nullable(),
      heldOut: z.object({ ...lrFigures, folds: z.number().int() }).nullable(),
      tippett: tippettSchema,
      validation: z
        .object({
          ...lrFigures,
          tippett: tippettSchema,
          openSet: z.object({ unknownRejected: z.number(), unknownAttributed: z.number(), knownKept: z.number(), bags: z.number().int() }).nullable(),
        })
        .nullable(),
    }),
  ),
  notes: z.array(z.string()),
});

export function calibrationSetId(set: Omit<CalibrationSet, 'id'> & { id?: string }): string {
  const { id: _id, ...content } = set;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The set with its id filled in. */
export function sealCalibrationSet(content: Omit<CalibrationSet, 'id'>): CalibrationSet {
  return { ...content, id: calibrationSetId(content) };
}

export function writeCalibrationSet(file: string, set: CalibrationSet): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(set, null, 1)}\n`);
}

export interface InstalledModels {
  extractorSha256: string;
  /** The installed set encoder's sha256; null when none is installed. */
  setEncoderSha256: string | null;
}

export interface UsableCalibration {
  set: CalibrationSet;
  file: string;
  /** sha256 of the file's bytes. */
  fileSha256: string;
  /** Whether the 'deepsets' entries can be used, and why not. */
  deepsets: { usable: true } | { usable: false; reason: string };
}

/**
 * Reads a calibration file and proves it usable: well-formed, its id matching its content and
 * every calibration's id matching its own, LRs increasing with the score, and made for the
 * installed extractor. DeepSets entries need the very set encoder they were fitted with.
 */
export function loadCalibrationSet(file: string, installed: InstalledModels): UsableCalibration {
  if (!fs.existsSync(file)) throw new ApiError('not_found', `no calibration: ${file} is missing (build it with \`modelprint calibrate\`)`);
  // A re-sealed calibration passes its own hash; the release manifest it does not.
  assertShippedFile(file);
  const bytes = fs.readFileSync(file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ApiError('invalid_input', `${file} is not JSON: ${(error as Error).message}`);
  }
  if ((json as { format?: unknown; version?: unknown })?.format === CALIBRATION_FORMAT && (json as { version?: unknown }).version !== CALIBRATION_VERSION) {
    throw new ApiError(
      'conflict',
      `the calibration ${file} is refused: it is format version ${String((json as { version?: unknown }).version)}, fitted without real generators or reference-count and compression entries; rebuild it with \`modelprint calibrate\``,
    );
  }
  const parsed = setSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('invalid_input', `${file} is not a Modelprint calibration: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const set = parsed.data as CalibrationSet;
  const refuse = (why: string) => new ApiError('conflict', `the calibration ${file} is refused: ${why}`);
  if (calibrationSetId(set) !== set.id) throw refuse(`its content no longer matches its id ${set.id} (changed or damaged)`);
  for (const entry of set.entries) {
    if (!calibrationIsIntact(entry.calibration)) throw refuse(`the ${entry.pooling}/${entry.bagSize} calibration does not match its id`);
    if (!(entry.calibration.parameters.a > 0)) throw refuse(`the ${entry.pooling}/${entry.bagSize} calibration does not increase with the score`);
  }
  if (set.extractor.sha256 !== installed.extractorSha256) {
    throw refuse(
      `it was fitted for extractor ${set.extractor.name} (${set.extractor.sha256}), not the installed one (${installed.extractorSha256}); ` +
        'its likelihood ratios mean nothing for other fingerprints: re-run `modelprint calibrate`',
    );
  }
  if (!findEntry(set, 'single', 1)) throw refuse('it has no single-image calibration');
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  return { set, file, fileSha256, deepsets: deepsetsUsability(set, installed.setEncoderSha256) };
}

function deepsetsUsability(set: CalibrationSet, installedSha256: string | null): UsableCalibration['deepsets'] {
  if (!set.entries.some((e) => e.pooling === 'deepsets') || set.setEncoder === null) return { usable: false, reason: 'the calibration has no DeepSets entries' };
  if (installedSha256 === null) return { usable: false, reason: 'no set encoder is installed' };
  if (installedSha256 !== set.setEncoder.sha256) {
    return { usable: false, reason: `the installed set encoder (${installedSha256}) is not the one the calibration was fitted with (${set.setEncoder.sha256})` };
  }
  return { usable: true };
}

function findEntry(set: CalibrationSet, pooling: Pooling, bagSize: number): CalibrationEntry | undefined {
  return set.entries.find((e) => e.pooling === pooling && e.bagSize === bagSize);
}

/** What the evidence and the gallery entry are: the key an entry is chosen by. */
export interface EvidenceFacts {
  pooling: Pooling;
  /** Images in the evidence (1 for an image, the set's size for a set). */
  size: number;
  /** Reference images behind the gallery entry compared with. */
  references: number;
  compression: CompressionClass;
  /** The smallest side of the evidence's images. */
  minSide: number;
}

export interface SelectedEntry {
  entry: CalibrationEntry;
  /** Why the evidence lies outside what this entry was validated for, in words; empty when inside. */
  outOfValidity: string[];
  /** The part of those reasons that concerns the evidence itself (its compression, its size), not the gallery entry. */
  evidenceReasons: string[];
}

const COMPRESSION_WORDS: Record<CompressionClass, string> = {
  lossless: 'losslessly stored images',
  'jpeg-high': 'JPEGs of estimated quality 85 or more',
  'jpeg-mid': 'JPEGs of estimated quality 60 to 84',
  'jpeg-low': 'JPEGs of estimated quality below 60',
  'webp-lossy': 'lossy WebP images',
  'other-lossy': 'images in another lossy format',
  unknown: 'images whose compression cannot be read',
};

export function compressionWords(compression: CompressionClass): string {
  return COMPRESSION_WORDS[compression];
}

/** Why an entry's validation does not carry its LRs, or null when it does. */
export function validationGap(set: CalibrationSet, entry: CalibrationEntry): string | null {
  const v = entry.validation;
  const what = `${entry.pooling === 'single' ? 'single images' : `sets of ${entry.bagSize}`} of ${compressionWords(entry.compression)} against entries of ${entry.references} reference image${entry.references === 1 ? '' : 's'}`;
  if (!v) return `the calibration was not validated on real generators for ${what}`;
  if (v.same < set.validity.minSameComparisons || v.generators < set.validity.minGenerators) {
    return `the validation for ${what} rests on too little data (${v.same} same-source comparisons from ${v.generators} generator${v.generators === 1 ? '' : 's'}; at least ${set.validity.minSameComparisons} from ${set.validity.minGenerators} needed)`;
  }
  if (!(v.cllr < 1)) return `the calibration failed validation for ${what} (Cllr ${v.cllr.toFixed(2)} on the validation generators: worse than no evidence)`;
  if (!entry.heldOut || !(entry.heldOut.cllr < 1)) {
    return `the calibration for ${what} does not beat stating no evidence on its own generators held out (Cllr ${entry.heldOut ? entry.heldOut.cllr.toFixed(2) : 'not measurable'})`;
  }
  return null;
}

/**
 * The entry for scoring this evidence against an entry of `references` images: the evidence's
 * compression, then the largest calibrated bag size not above its size (a mean-pooled set smaller
 * than the smallest mean bag uses the single-image calibration: the mean of one image is that
 * image) and the largest validated reference count not above the entry's (an entry of 3 images
 * never gets the strength of one of 10). Evidence the calibration does not cover still gets the nearest entry,
 * so LRs can be shown, with every reason it lies outside what was validated. Null when the
 * calibration has no entry of this pooling at all (e.g. no DeepSets entries).
 */
export function selectEntry(set: CalibrationSet, facts: EvidenceFacts): SelectedEntry | null {
  const evidenceReasons: string[] = [];
  const entryReasons: string[] = [];
  const ofPooling = (pooling: Pooling) => set.entries.filter((e) => e.pooling === pooling && e.bagSize <= facts.size);
  let candidates = ofPooling(facts.pooling);
  if (candidates.length === 0 && facts.pooling === 'mean') candidates = ofPooling('single');
  if (candidates.length === 0) return null;
  let byCompression = candidates.filter((e) => e.compression === facts.compression);
  if (byCompression.length === 0) {
    evidenceReasons.push(`the calibration covers no ${compressionWords(facts.compression)}`);
    byCompression = candidates.filter((e) => e.compression === 'lossless');
    if (byCompression.length === 0) byCompression = candidates;
  }
  // The largest calibrated bag size not above the evidence's (a calibration for smaller bags would
  // overstate a larger set's evidence); then, among the reference counts not above the entry's, the
  // largest validated one: an entry of 300 references is at least as strong as one of 10, so the
  // validated 10-reference calibration stays a conservative, valid choice for it.
  const bagSize = Math.max(...byCompression.map((e) => e.bagSize));
  const ofBag = byCompression.filter((e) => e.bagSize === bagSize);
  const fitting = ofBag.filter((e) => e.references <= facts.references).sort((x, y) => y.references - x.references);
  const smallest = Math.min(...ofBag.map((e) => e.references));
  if (fitting.length === 0) entryReasons.push(`the gallery entry rests on ${facts.references} reference image${facts.references === 1 ? '' : 's'}, fewer than the ${smallest} the calibration starts at`);
  const entry = fitting.find((e) => validationGap(set, e) === null) ?? fitting[0] ?? ofBag.find((e) => e.references === smallest)!;
  if (facts.minSide < set.validity.minSide) evidenceReasons.push(`the evidence is ${facts.minSide} px on its smaller side, below the ${set.validity.minSide} px validated`);
  const gap = validationGap(set, entry);
  if (gap) entryReasons.push(gap);
  return { entry, outOfValidity: [...evidenceReasons, ...entryReasons], evidenceReasons };
}

/**
 * The calibration for an extractor: $MODELPRINT_CALIBRATION, the packaged app's resources, or
 * resources/calibration above this file (source tree, out/main).
 */
export function locateCalibration(extractorName: string, env: NodeJS.ProcessEnv = process.env, from: string = import.meta.dirname): string | null {
  if (env.MODELPRINT_CALIBRATION) return path.resolve(env.MODELPRINT_CALIBRATION);
  const name = `${extractorName}.calibration.json`;
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = resourcesPath ? [path.join(resourcesPath, 'calibration', name)] : [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'resources', 'calibration', name));
    if (path.dirname(dir) === dir) break;
  }
  return candidates.find((file) => fs.existsSync(file)) ?? null;
}
