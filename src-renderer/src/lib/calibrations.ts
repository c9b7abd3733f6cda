// Calibrations as the screens use them: flat rows found by the calibration id that every result
// names. A result carries the figures of the calibrations it used (so an old result still shows
// what it was weighed with); the installed set adds the Tippett data and the populations.
import type { CalibrationInfo, TippettCurve, UsedCalibration } from '../../../src-engine/api/contract.ts';

export type CompressionClass = UsedCalibration['compression'];
export type HeldOutFigures = NonNullable<UsedCalibration['heldOut']>;
/** Figures on the validation generators: real generators no fitting or choice used. */
export type ValidationFigures = NonNullable<UsedCalibration['validation']>;
export type Population = CalibrationInfo['population'];

/** What qualifies an LR: which calibration, for what evidence, and how it did on real generators. */
export interface CalibrationFigures {
  id: string;
  pooling: string;
  bagSize: number;
  /** Reference images behind the gallery entries the calibration is for. */
  references: number;
  compression: CompressionClass;
  sameCount: number;
  differentCount: number;
  /** Calibrations fitted without the query's generator, on the calibration generators; null when not measured. */
  heldOut: HeldOutFigures | null;
  /** The figures that qualify an LR; null: not validated (the engine then stays inconclusive). */
  validation: ValidationFigures | null;
}

export interface CalibrationRow extends CalibrationFigures {
  /** The validation generators' Tippett data when validated, else the held-out calibration generators'. */
  tippett: TippettCurve;
  tippettSource: 'validation' | 'held-out';
}

/** The installed set as the calibration view shows it. */
export interface CalibrationOverview {
  rows: CalibrationRow[];
  /** What the calibration data were, in the calibration file's words. */
  description: string;
  population: Population;
  validationPopulation: Population | null;
  /** The reference count the protocol shows first. */
  galleryImages: number;
}

// The engine's own wording (compressionWords in calibration-set.ts) lives in a module that reads
// files, which the renderer cannot import; these are the short forms a select and a table need.
const COMPRESSION_LABEL: Record<CompressionClass, string> = {
  lossless: 'lossless',
  'jpeg-high': 'JPEG, quality ≥ 85',
  'jpeg-mid': 'JPEG, quality 60–84',
  'jpeg-low': 'JPEG, quality < 60',
  'webp-lossy': 'lossy WebP',
  'other-lossy': 'other lossy format',
  unknown: 'compression unknown',
};

/** Compression classes from the least to the most degraded, as the selects list them. */
export const COMPRESSION_ORDER = Object.keys(COMPRESSION_LABEL) as CompressionClass[];

export function compressionLabel(compression: CompressionClass): string {
  return COMPRESSION_LABEL[compression] ?? compression;
}

export function calibrationOverview(info: CalibrationInfo): CalibrationOverview {
  return {
    rows: info.entries.map((entry) => ({
      id: entry.calibration.id,
      pooling: entry.pooling,
      bagSize: entry.bagSize,
      references: entry.references,
      compression: entry.compression,
      sameCount: entry.calibration.training.sameCount,
      differentCount: entry.calibration.training.differentCount,
      heldOut: entry.heldOut,
      validation: entry.validation && withoutTippett(entry.validation),
      tippett: entry.validation?.tippett ?? entry.tippett,
      tippettSource: entry.validation ? 'validation' : 'held-out',
    })),
    description: info.data.description,
    population: info.population,
    validationPopulation: info.validationPopulation,
    galleryImages: info.protocol.galleryImages,
  };
}

function withoutTippett<T extends { tippett: unknown }>(figures: T): Omit<T, 'tippett'> {
  const { tippett: _tippett, ...rest } = figures;
  return rest;
}

export function usedCalibrationFigures(used: UsedCalibration): CalibrationFigures {
  const { calibrationId, pooling, bagSize, references, compression, sameCount, differentCount, heldOut, validation } = used;
  // A result recorded before calibration v2 has no validation: it reads as not validated.
  return { id: calibrationId, pooling, bagSize, references, compression, sameCount, differentCount, heldOut: heldOut ?? null, validation: validation ?? null };
}

/** A share as a percentage; a small non-zero share is not rounded to 0. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.001) return '< 0.1%';
  return `${(share * 100).toFixed(share === 0 || share === 1 ? 0 : 1)}%`;
}
