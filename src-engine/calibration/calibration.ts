// A fitted score-to-LR calibration as a self-describing, serialisable record: its parameters,
// what it was trained on and how it performed there, under an id that changes whenever any of
// those would (so a report can name exactly the calibration it used).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../base/canonical-json.ts';
import { cllr, cllrMin } from './cllr.ts';
import { extent, fitLogisticCalibration, logisticLog10Lr } from './logistic-calibration.ts';
import type { Calibration, CalibrationTraining, ValidationFigures } from '../api/calibration.ts';

export type { Calibration, CalibrationTraining, ValidationFigures } from '../api/calibration.ts';

/**
 * Fits on Platt's smoothed targets: finite even when the validation scores happen to be separated
 * (large bags often are), with LRs bounded by what that many pairs can show.
 */
export function fitCalibration(
  same: readonly number[],
  different: readonly number[],
  description: string,
  prior = 0.5,
  extra: { weights?: { same: readonly number[]; different: readonly number[] }; log10LrBounds?: [number, number] } = {},
): Calibration {
  const parameters = fitLogisticCalibration(same, different, prior, true, extra.weights);
  const [sameLow, sameHigh] = extent(same);
  const [differentLow, differentHigh] = extent(different);
  const training: CalibrationTraining = {
    description,
    sameCount: same.length,
    differentCount: different.length,
    scoreRange: [Math.min(sameLow, differentLow), Math.max(sameHigh, differentHigh)],
    ...(extra.log10LrBounds ? { log10LrBounds: extra.log10LrBounds } : {}),
  };
  const fitted = { method: 'logistic-platt' as const, parameters, training };
  return { id: calibrationId(fitted), ...fitted, validation: validateCalibration(fitted, same, different) };
}

/**
 * The calibrated log10 LR of a score, kept within what the validation data can show. Scores beyond
 * the training range are clamped to it (the logistic line would otherwise extrapolate), and the
 * LR to [1 / N_same, N_different]: an LR of 10^k for the same source claims different-source
 * pairs score this high 10^k times less often than same-source ones, which N_different pairs
 * cannot show beyond k = log10 N_different (and symmetrically for the other proposition). A
 * simplified, looser form of the empirical lower and upper bounds (ELUB) of Vergeer et al. (2016).
 */
export function calibrationLog10Lr(calibration: Pick<Calibration, 'parameters' | 'training'>, score: number): number {
  if (Number.isNaN(score)) throw new Error('score is NaN');
  const { scoreRange, sameCount, differentCount, log10LrBounds } = calibration.training;
  const log10Lr = logisticLog10Lr(calibration.parameters, Math.min(scoreRange[1], Math.max(scoreRange[0], score)));
  const [low, high] = log10LrBounds ?? [-Math.log10(sameCount), Math.log10(differentCount)];
  return Math.min(high, Math.max(low, log10Lr));
}

export function validateCalibration(calibration: Pick<Calibration, 'parameters' | 'training'>, same: readonly number[], different: readonly number[]): ValidationFigures {
  const sameLrs = same.map((score) => calibrationLog10Lr(calibration, score));
  const differentLrs = different.map((score) => calibrationLog10Lr(calibration, score));
  return {
    cllr: cllr(sameLrs, differentLrs),
    cllrMin: cllrMin(same, different),
    sameMisleadingRate: sameLrs.filter((x) => x < 0).length / sameLrs.length,
    differentMisleadingRate: differentLrs.filter((x) => x > 0).length / differentLrs.length,
  };
}

/** sha256 of the canonical JSON of method, parameters and training summary. */
export function calibrationId(calibration: Pick<Calibration, 'method' | 'parameters' | 'training'>): string {
  const { method, parameters, training } = calibration;
  return createHash('sha256').update(canonicalJson({ method, parameters, training })).digest('hex');
}

/** False when a stored calibration's content no longer matches its id. */
export function calibrationIsIntact(calibration: Calibration): boolean {
  return calibrationId(calibration) === calibration.id;
}
