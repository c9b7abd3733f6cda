// A fitted score-to-LR calibration as a self-describing, serialisable record: its parameters,
// what it was trained on and how it performed there, under an id that changes whenever any of
// those would (so a report can name exactly the calibration it used).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../report/canonical-json.ts';
import { cllr, cllrMin } from './cllr.ts';
import { fitLogisticCalibration, type LogisticParameters, logisticLog10Lr } from './logistic-calibration.ts';

export type CalibrationTraining = {
  /** Which validation set the pairs came from, in the examiner's words. */
  description: string;
  sameCount: number;
  differentCount: number;
  scoreRange: [number, number];
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
  method: 'logistic';
  parameters: LogisticParameters;
  training: CalibrationTraining;
  /** Measured on the training pairs themselves; use validateCalibration on held-out pairs too. */
  validation: ValidationFigures;
};

export function fitCalibration(same: readonly number[], different: readonly number[], description: string, prior = 0.5): Calibration {
  const parameters = fitLogisticCalibration(same, different, prior);
  const all = [...same, ...different];
  const training: CalibrationTraining = {
    description,
    sameCount: same.length,
    differentCount: different.length,
    scoreRange: [Math.min(...all), Math.max(...all)],
  };
  const fitted = { method: 'logistic' as const, parameters, training };
  return { id: calibrationId(fitted), ...fitted, validation: validateCalibration(fitted, same, different) };
}

export function calibrationLog10Lr(calibration: Pick<Calibration, 'parameters'>, score: number): number {
  return logisticLog10Lr(calibration.parameters, score);
}

export function validateCalibration(calibration: Pick<Calibration, 'parameters'>, same: readonly number[], different: readonly number[]): ValidationFigures {
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
