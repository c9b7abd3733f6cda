// The calibration set the engine attributes with: one fitted score-to-LR calibration per way of
// scoring (a single image, or a bag pooled by its mean or by the DeepSets encoder) and bag size,
// with the held-out figures and Tippett data of each, for one extractor (and set encoder). Written
// by `modelprint calibrate`, read here; a file whose id does not match its content, or that was
// made for another extractor, is refused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/errors.ts';
import { canonicalJson } from '../report/canonical-json.ts';
import { calibrationIsIntact, type Calibration, type ValidationFigures } from './calibration.ts';
import type { TippettCurve } from './tippett.ts';

export const CALIBRATION_FORMAT = 'modelprint-calibration';
export const CALIBRATION_VERSION = 1;
export const POOLINGS = ['single', 'mean', 'deepsets'] as const;
export type Pooling = (typeof POOLINGS)[number];
export const BAG_SIZES = [1, 5, 10, 50] as const;

export interface CalibrationEntry {
  pooling: Pooling;
  bagSize: number;
  calibration: Calibration;
  /** Figures of LRs from calibrations fitted without the query's generator (generators in folds). */
  heldOut: ValidationFigures & { folds: number };
  /** On the held-out LRs, at thresholds 0.1 apart. */
  tippett: TippettCurve;
}

export interface CalibrationData {
  /** What the images are, from the data set's manifest or the examiner. */
  description: string;
  /** The folder's name (not its path, which is machine-specific). */
  folder: string;
  manifestSha256: string | null;
  generators: number;
  images: number;
  unreadable: number;
}

export interface CalibrationProtocol {
  /** Each generator's gallery entry: the mean of its first this many images in name order. */
  galleryImages: number;
  seed: number;
  folds: number;
  similarity: 'cosine';
  text: string;
}

export interface CalibrationSet {
  format: typeof CALIBRATION_FORMAT;
  version: typeof CALIBRATION_VERSION;
  /** sha256 of the canonical JSON of everything else in the file. */
  id: string;
  createdUtc: string;
  extractor: { name: string; sha256: string };
  /** The DeepSets encoder the 'deepsets' entries were fitted with; null when there are none. */
  setEncoder: { name: string; sha256: string } | null;
  data: CalibrationData;
  protocol: CalibrationProtocol;
  entries: CalibrationEntry[];
  notes: string[];
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const figures = { cllr: z.number(), cllrMin: z.number(), sameMisleadingRate: z.number(), differentMisleadingRate: z.number() };
const calibrationSchema = z.object({
  id: sha256Hex,
  method: z.enum(['logistic', 'logistic-platt']),
  parameters: z.object({ a: z.number(), b: z.number(), prior: z.number() }),
  training: z.object({ description: z.string(), sameCount: z.number().int(), differentCount: z.number().int(), scoreRange: z.tuple([z.number(), z.number()]) }),
  validation: z.object(figures),
});
const setSchema = z.object({
  format: z.literal(CALIBRATION_FORMAT),
  version: z.literal(CALIBRATION_VERSION),
  id: sha256Hex,
  createdUtc: z.string(),
  extractor: z.object({ name: z.string(), sha256: sha256Hex }),
  setEncoder: z.object({ name: z.string(), sha256: sha256Hex }).nullable(),
  data: z.object({ description: z.string(), folder: z.string(), manifestSha256: sha256Hex.nullable(), generators: z.number().int(), images: z.number().int(), unreadable: z.number().int() }),
  protocol: z.object({ galleryImages: z.number().int(), seed: z.number().int(), folds: z.number().int(), similarity: z.literal('cosine'), text: z.string() }),
  entries: z.array(
    z.object({
      pooling: z.enum(POOLINGS),
      bagSize: z.number().int().positive(),
      calibration: calibrationSchema,
      heldOut: z.object({ ...figures, folds: z.number().int() }),
      tippett: z.object({ thresholds: z.array(z.number()), sameAtLeast: z.array(z.number()), differentAtLeast: z.array(z.number()) }),
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
  const bytes = fs.readFileSync(file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ApiError('invalid_input', `${file} is not JSON: ${(error as Error).message}`);
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

/**
 * The entry for scoring a set of `size` images: the largest calibrated bag size not above it.
 * A mean-pooled set smaller than the smallest mean bag uses the single-image calibration (the
 * mean of one image is that image). Null when no entry fits (e.g. no DeepSets entries).
 */
export function calibrationFor(set: CalibrationSet, pooling: Pooling, size: number): CalibrationEntry | null {
  const fitting = set.entries.filter((e) => e.pooling === pooling && e.bagSize <= size).sort((x, y) => y.bagSize - x.bagSize);
  return fitting[0] ?? (pooling === 'mean' ? (findEntry(set, 'single', 1) ?? null) : null);
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
