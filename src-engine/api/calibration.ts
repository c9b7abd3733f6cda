// The calibration vocabulary the contract speaks: what a calibration set, its entries and their
// figures are, the compression classes evidence is sorted into, Tippett data and the verbal scale.
// The calibration feature (src-engine/calibration) fits, reads and applies these; the renderer
// shows them. Types and the constants they are spelled from only.

export const CALIBRATION_FORMAT = 'modelprint-calibration';
export const CALIBRATION_VERSION = 2;
export const POOLINGS = ['single', 'mean', 'deepsets'] as const;
export type Pooling = (typeof POOLINGS)[number];

export const COMPRESSION_CLASSES = ['lossless', 'jpeg-high', 'jpeg-mid', 'jpeg-low', 'webp-lossy', 'other-lossy', 'unknown'] as const;
export type CompressionClass = (typeof COMPRESSION_CLASSES)[number];

export type TippettCurve = { thresholds: number[]; sameAtLeast: number[]; differentAtLeast: number[] };

export type Proposition = 'same-model' | 'other-model';
export type Strength = 'inconclusive' | 'moderate' | 'moderately strong' | 'strong' | 'very strong' | 'extremely strong';
export type VerbalEquivalent = { strength: Strength; favours: Proposition | null; wording: string };

export type LogisticParameters = { a: number; b: number; prior: number };

export type CalibrationTraining = {
  /** Which validation set the pairs came from, in the examiner's words. */
  description: string;
  sameCount: number;
  differentCount: number;
  /** Lowest and highest training score: scores outside are clamped to it (no extrapolation). */
  scoreRange: [number, number];
  /**
   * The log10 LRs this data can show at most, [low, high]; absent: [-log10 sameCount,
   * log10 differentCount]. On real generators the comparisons of one pair of generators are not
   * independent, so the bound counts generator pairs (see fit-entry.ts).
   */
  log10LrBounds?: [number, number];
};

export type ValidationFigures = {
  cllr: number;
  cllrMin: number;
  /** Same-source pairs with LR < 1 and different-source pairs with LR > 1. */
  sameMisleadingRate: number;
  differentMisleadingRate: number;
};

export type Calibration = {
  id: string;
  /** 'logistic-platt': logistic regression on Platt's smoothed targets (logistic-calibration.ts). */
  method: 'logistic' | 'logistic-platt';
  parameters: LogisticParameters;
  training: CalibrationTraining;
  /** Measured on the training pairs themselves; use validateCalibration on held-out pairs too. */
  validation: ValidationFigures;
};

/** Misleading-evidence rates and Cllr of LRs against the truth. */
export interface LrFigures extends ValidationFigures {
  same: number;
  different: number;
  generators: number;
  /** Different-source comparisons with LR >= 10 and >= 100; same-source with LR <= 1/10. */
  differentAtLeast10: number;
  differentAtLeast100: number;
  sameAtMostTenth: number;
}

/** What an entry is for: how the evidence is scored, what the gallery entry rests on, and the evidence's compression. */
export interface EntryKey {
  pooling: Pooling;
  bagSize: number;
  references: number;
  compression: CompressionClass;
}

/** Figures on generators no fitting or choice used (the calibration's validation split). */
export interface EntryValidation extends LrFigures {
  tippett: TippettCurve;
  /** Open set on the validation generators: each left out of a gallery of the others in turn. */
  openSet: { unknownRejected: number; unknownAttributed: number; knownKept: number; bags: number } | null;
}

export interface CalibrationEntry extends EntryKey {
  calibration: Calibration;
  /** The best score over a gallery, source in it vs not: what "no known model" rests on; null when not calibrated. */
  openSet: { calibration: Calibration; gallerySize: number } | null;
  /** Figures of LRs from calibrations fitted without the query's generator (generators in folds). */
  heldOut: (LrFigures & { folds: number }) | null;
  /** On the held-out LRs, at thresholds 0.1 apart. */
  tippett: TippettCurve;
  /** Measured on the validation generators; null: not validated (the engine then says so and stays inconclusive). */
  validation: EntryValidation | null;
}

/** Generators behind a population, in the examiner's words. */
export interface PopulationMember {
  name: string;
  family: string;
  images: number;
  source: string;
}

export interface Population {
  /** Plain words: "14 public text-to-image and GAN models (listed in the report)". */
  description: string;
  members: PopulationMember[];
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
  /** The reference count of the entries that `evaluate` and the UI show first. */
  galleryImages: number;
  seed: number;
  folds: number;
  /** The calibrated score: the cosine with the entry minus the mean cosine with the gallery's other entries (cohort-score.ts). */
  similarity: 'cosine-minus-cohort-mean';
  /** The conditions (transforms of the published images) the comparisons were made under. */
  conditions: string[];
  text: string;
}

/** What the calibration was validated for: evidence outside it is inconclusive, said in words. */
export interface Validity {
  /** The smallest image side among the validated comparisons. */
  minSide: number;
  /** A validated entry needs at least this many same-source comparisons from this many generators. */
  minSameComparisons: number;
  minGenerators: number;
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
  /** "Another model of the relevant population": the calibration generators. */
  population: Population;
  /** The generators the validation figures come from (never used to fit or choose). */
  validationPopulation: Population | null;
  protocol: CalibrationProtocol;
  validity: Validity;
  entries: CalibrationEntry[];
  notes: string[];
}
