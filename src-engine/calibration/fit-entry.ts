// Fits one calibration-set entry from scored query bags (leave-bag-out.ts) and measures it
// honestly: the figures that go into reports come from LRs of calibrations fitted WITHOUT the
// query's generator (generators dealt into folds), not from the pairs the calibration was fitted on.
//
// The relevant population is a set of generators, not of images: a generator with 369 images
// must not outvote one with 5. So every query generator weighs the same among the same-source
// comparisons, every (query generator, entry generator) pair the same among the different-source
// ones, and the LR is bounded by the number of generator pairs that could show it (the
// comparisons of one pair of generators are not independent evidence of each other).
import { calibrationLog10Lr, fitCalibration, type Calibration } from './calibration.ts';
import type { LrFigures } from '../api/calibration.ts';
import type { CalibrationEntry, EntryKey } from './calibration-set.ts';
import { cllr, cllrMin } from './cllr.ts';
import { bestScore, type ScoredBag } from './leave-bag-out.ts';
import { extent } from './logistic-calibration.ts';
import { tippettCurve } from './tippett.ts';
import { mulberry32, randomIndex } from '../base/seeded-random.ts';

/** Same- and different-source scores, each with its query's generator and the entry's generator. */
export interface ScoredComparisons {
  same: number[];
  sameGenerator: number[];
  different: number[];
  differentGenerator: number[];
  /** The entry's generator of each different-source comparison. */
  differentEntry: number[];
}

export const TIPPETT_STEP = 0.1;

export function comparisonsOf(bags: readonly ScoredBag[]): ScoredComparisons {
  const result: ScoredComparisons = { same: [], sameGenerator: [], different: [], differentGenerator: [], differentEntry: [] };
  for (const bag of bags) {
    bag.scores.forEach((score, h) => {
      if (Number.isNaN(score)) return;
      if (h === bag.generator) {
        result.same.push(score);
        result.sameGenerator.push(bag.generator);
      } else {
        result.different.push(score);
        result.differentGenerator.push(bag.generator);
        result.differentEntry.push(h);
      }
    });
  }
  return result;
}

/** Galleries of the open-set model: this many entries, whatever the calibration data holds (see openSetComparisons). */
export const OPEN_SET_GALLERY = 5;

/**
 * Open set: the best score over a gallery of OPEN_SET_GALLERY entries with the source in it (its
 * own entry and OPEN_SET_GALLERY - 1 others) vs without it (OPEN_SET_GALLERY others), the others
 * drawn per bag with a seeded shuffle. A fixed gallery size keeps the model usable for any gallery
 * at least that large, and conservative there: more entries raise the best score of an unknown
 * source, so "no known model" only gets harder.
 */
export function openSetComparisons(bags: readonly ScoredBag[], seed = 0): ScoredComparisons {
  const result: ScoredComparisons = { same: [], sameGenerator: [], different: [], differentGenerator: [], differentEntry: [] };
  const random = mulberry32((seed ^ 0x6f70656e) >>> 0);
  for (const bag of bags) {
    const others = bag.scores.map((s, h) => (h !== bag.generator && !Number.isNaN(s) ? h : -1)).filter((h) => h >= 0);
    if (others.length < OPEN_SET_GALLERY || Number.isNaN(bag.scores[bag.generator]!)) continue;
    for (let i = others.length - 1; i > 0; i--) {
      const j = randomIndex(random, i + 1);
      [others[i], others[j]] = [others[j]!, others[i]!];
    }
    const withSource = new Set([bag.generator, ...others.slice(0, OPEN_SET_GALLERY - 1)]);
    const without = new Set(others.slice(0, OPEN_SET_GALLERY));
    const known = bestScore(bag, (h) => withSource.has(h));
    const unknown = bestScore(bag, (h) => without.has(h));
    result.same.push(known.score);
    result.sameGenerator.push(bag.generator);
    result.different.push(unknown.score);
    result.differentGenerator.push(bag.generator);
    result.differentEntry.push(unknown.generator);
  }
  return result;
}

/** Weights that give every group (a generator, or a pair of generators) the same total. */
function groupWeights(groups: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  return groups.map((g) => 1 / counts.get(g)!);
}

function distinct(values: readonly (string | number)[]): number {
  return new Set(values).size;
}

/** A calibration of these comparisons, generator-weighted and bounded by generator counts. */
export function fitWeighted(scores: ScoredComparisons, description: string, pairKeys: 'pairs' | 'queries' = 'pairs'): Calibration {
  const differentGroups = scores.different.map((_, i) => (pairKeys === 'pairs' ? `${scores.differentGenerator[i]}:${scores.differentEntry[i]}` : String(scores.differentGenerator[i])));
  const sameGroups = scores.sameGenerator.map(String);
  // With one generator (pair) the bound would be LR 1; a single group still shows the direction, weakly.
  const high = Math.log10(Math.max(2, distinct(differentGroups)));
  const low = -Math.log10(Math.max(2, distinct(sameGroups)));
  return fitCalibration(scores.same, scores.different, description, 0.5, {
    weights: { same: groupWeights(sameGroups), different: groupWeights(differentGroups) },
    log10LrBounds: [low, high],
  });
}

export type { LrFigures } from '../api/calibration.ts';

export function lrFigures(sameLrs: readonly number[], differentLrs: readonly number[], sameScores: readonly number[], differentScores: readonly number[], generators: number): LrFigures {
  const share = (values: readonly number[], test: (x: number) => boolean) => values.filter(test).length / values.length;
  return {
    cllr: cllr(sameLrs, differentLrs),
    cllrMin: cllrMin(sameScores, differentScores),
    sameMisleadingRate: share(sameLrs, (x) => x < 0),
    differentMisleadingRate: share(differentLrs, (x) => x > 0),
    same: sameLrs.length,
    different: differentLrs.length,
    generators,
    differentAtLeast10: share(differentLrs, (x) => x >= 1),
    differentAtLeast100: share(differentLrs, (x) => x >= 2),
    sameAtMostTenth: share(sameLrs, (x) => x <= -1),
  };
}

/** Held-out LRs: generators dealt into folds, each fold's LRs from a calibration fitted on the others. */
function heldOutLrs(scores: ScoredComparisons, folds: number, fit: (train: ScoredComparisons) => Calibration): { same: number[]; different: number[]; sameScores: number[]; differentScores: number[] } {
  const out = { same: [] as number[], different: [] as number[], sameScores: [] as number[], differentScores: [] as number[] };
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (generator: number) => generator % folds === fold;
    const keep = (i: number, generators: number[]) => !inFold(generators[i]!);
    const train: ScoredComparisons = {
      same: scores.same.filter((_, i) => keep(i, scores.sameGenerator)),
      sameGenerator: scores.sameGenerator.filter((_, i) => keep(i, scores.sameGenerator)),
      different: scores.different.filter((_, i) => keep(i, scores.differentGenerator)),
      differentGenerator: scores.differentGenerator.filter((_, i) => keep(i, scores.differentGenerator)),
      differentEntry: scores.differentEntry.filter((_, i) => keep(i, scores.differentGenerator)),
    };
    const heldSame = scores.same.filter((_, i) => inFold(scores.sameGenerator[i]!));
    const heldDifferent = scores.different.filter((_, i) => inFold(scores.differentGenerator[i]!));
    if (heldSame.length === 0 && heldDifferent.length === 0) continue;
    if (train.same.length === 0 || train.different.length === 0) continue;
    const fitted = fit(train);
    for (const s of heldSame) (out.same.push(calibrationLog10Lr(fitted, s)), out.sameScores.push(s));
    for (const s of heldDifferent) (out.different.push(calibrationLog10Lr(fitted, s)), out.differentScores.push(s));
  }
  return out;
}

export interface FitOptions {
  folds: number;
  seed: number;
  description: string;
}

/** Fits the entry's score calibration and its open-set calibration, with held-out figures and Tippett data. */
export function fitCalibrationEntry(key: EntryKey, bags: readonly ScoredBag[], options: FitOptions): CalibrationEntry | null {
  const scores = comparisonsOf(bags);
  if (scores.same.length === 0 || scores.different.length === 0) return null;
  const generators = distinct(scores.sameGenerator);
  const calibration = fitWeighted(scores, options.description);
  const held = heldOutLrs(scores, options.folds, (train) => fitWeighted(train, `${options.description}, fold left out`));
  const heldOut = held.same.length > 0 && held.different.length > 0 ? { ...lrFigures(held.same, held.different, held.sameScores, held.differentScores, generators), folds: options.folds } : null;
  const open = openSetComparisons(bags, options.seed);
  const openSet =
    open.same.length > 0 && distinct(open.sameGenerator) >= 2
      ? { calibration: fitWeighted(open, `${options.description}: best score over a gallery of ${OPEN_SET_GALLERY} with the source in it vs without it`, 'queries'), gallerySize: OPEN_SET_GALLERY }
      : null;
  const tippettSource = heldOut ? held : { same: scores.same.map((s) => calibrationLog10Lr(calibration, s)), different: scores.different.map((s) => calibrationLog10Lr(calibration, s)) };
  return {
    ...key,
    calibration,
    openSet,
    heldOut,
    tippett: tippettCurve(tippettSource.same, tippettSource.different, tippettGrid([...tippettSource.same, ...tippettSource.different])),
    validation: null,
  };
}

/** Thresholds TIPPETT_STEP apart covering every observed log10 LR. */
export function tippettGrid(log10Lrs: readonly number[]): number[] {
  const [low, high] = extent(log10Lrs);
  const first = Math.floor(low / TIPPETT_STEP);
  const last = Math.ceil(high / TIPPETT_STEP);
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * TIPPETT_STEP).toFixed(10)));
}
