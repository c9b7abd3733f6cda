// Fits one calibration-set entry from scored comparisons, and measures it honestly: the figures
// that go into reports come from LRs of calibrations fitted WITHOUT the query's generator
// (generators dealt into folds), not from the pairs the calibration was fitted on.
import { calibrationLog10Lr, fitCalibration, type ValidationFigures } from './calibration.ts';
import type { CalibrationEntry, Pooling } from './calibration-set.ts';
import { cllr, cllrMin } from './cllr.ts';
import { extent } from './logistic-calibration.ts';
import { tippettCurve } from './tippett.ts';

/** Same-source and different-source scores, each labelled with its query's generator. */
export interface ScoredComparisons {
  same: number[];
  sameGenerator: number[];
  different: number[];
  differentGenerator: number[];
}

export const TIPPETT_STEP = 0.1;

export function fitCalibrationEntry(pooling: Pooling, bagSize: number, scores: ScoredComparisons, description: string, folds: number): CalibrationEntry {
  const calibration = fitCalibration(scores.same, scores.different, description);
  const heldOutSame: number[] = [];
  const heldOutDifferent: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (generator: number) => generator % folds === fold;
    const train = {
      same: scores.same.filter((_, i) => !inFold(scores.sameGenerator[i]!)),
      different: scores.different.filter((_, i) => !inFold(scores.differentGenerator[i]!)),
    };
    const fitted = fitCalibration(train.same, train.different, `${description}, fold ${fold + 1} of ${folds} left out`);
    scores.same.forEach((score, i) => inFold(scores.sameGenerator[i]!) && heldOutSame.push(calibrationLog10Lr(fitted, score)));
    scores.different.forEach((score, i) => inFold(scores.differentGenerator[i]!) && heldOutDifferent.push(calibrationLog10Lr(fitted, score)));
  }
  const heldOut: ValidationFigures & { folds: number } = {
    cllr: cllr(heldOutSame, heldOutDifferent),
    cllrMin: cllrMin(scores.same, scores.different),
    sameMisleadingRate: heldOutSame.filter((x) => x < 0).length / heldOutSame.length,
    differentMisleadingRate: heldOutDifferent.filter((x) => x > 0).length / heldOutDifferent.length,
    folds,
  };
  return { pooling, bagSize, calibration, heldOut, tippett: tippettCurve(heldOutSame, heldOutDifferent, tippettGrid([...heldOutSame, ...heldOutDifferent])) };
}

/** Thresholds TIPPETT_STEP apart covering every observed log10 LR. */
function tippettGrid(log10Lrs: readonly number[]): number[] {
  const [low, high] = extent(log10Lrs);
  const first = Math.floor(low / TIPPETT_STEP);
  const last = Math.ceil(high / TIPPETT_STEP);
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * TIPPETT_STEP).toFixed(10)));
}
