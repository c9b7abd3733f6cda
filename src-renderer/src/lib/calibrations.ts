// Calibrations as the screens use them: flat rows found by the calibration id that every result
// names. A result carries the figures of the calibrations it used (so an old result still shows
// what it was weighed with); the installed set adds the Tippett data.
import type { CalibrationInfo, TippettCurve, UsedCalibration } from '../../../src-engine/api/contract.ts';

/** What qualifies an LR: which calibration, for what pooling, and its held-out figures. */
export interface CalibrationFigures {
  id: string;
  pooling: string;
  bagSize: number;
  /** Held-out figures (calibrations fitted without the query's generator): the honest ones. */
  cllr: number;
  cllrMin: number;
  sameMisleadingRate: number;
  differentMisleadingRate: number;
  folds: number;
  sameCount: number;
  differentCount: number;
}

export interface CalibrationRow extends CalibrationFigures {
  tippett: TippettCurve;
}

export function calibrationRows(info: CalibrationInfo): CalibrationRow[] {
  return info.entries.map((entry) => ({
    id: entry.calibration.id,
    pooling: entry.pooling,
    bagSize: entry.bagSize,
    ...entry.heldOut,
    sameCount: entry.calibration.training.sameCount,
    differentCount: entry.calibration.training.differentCount,
    tippett: entry.tippett,
  }));
}

export function usedCalibrationFigures(used: UsedCalibration): CalibrationFigures {
  const { calibrationId, pooling, bagSize, sameCount, differentCount, heldOut } = used;
  return { id: calibrationId, pooling, bagSize, sameCount, differentCount, ...heldOut };
}
