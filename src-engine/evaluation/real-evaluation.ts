// `evaluate`'s figures on real data, one row per condition (as published, re-encoded, downscaled:
// the whole folder transformed, as images are after sharing) and scoring scheme (single images,
// mean-pooled bags of 5, 10, 50). Every image is a query once; its own generator's entry pools
// min(10, what the generator can spare) of its other images (leave-one-out, so folders of 3-10
// images give honest figures), every other generator's entry its first 10. The LRs are the
// shipped calibration's, chosen per comparison exactly as `attribute` chooses them (pooling, bag
// size, the entry's reference count, the evidence's compression); a comparison outside what the
// calibration was validated for states no LR (LR 1), as `attribute` does. Decisions use the same
// rule: closed set (every generator in the gallery) and open set (each generator left out in turn).
import { calibrateAndDecide } from '../attribution/calibrated-decision.ts';
import type { CalibrationSet } from '../calibration/calibration-set.ts';
import { cllr, cllrMin } from '../calibration/cllr.ts';
import { scoreLeaveBagOut, type ConditionedFolder, type ScoredBag } from '../calibration/leave-bag-out.ts';
import { REAL_SCHEMES, type Scheme } from '../calibration/real-protocol.ts';
import { tippettCurve } from '../calibration/tippett.ts';
import { tippettGrid } from '../calibration/fit-entry.ts';
import type { TippettCurve } from '../calibration/tippett.ts';
import { verificationFigures } from '../metrics/verification-metrics.ts';

export const REAL_GALLERY_IMAGES = 10;

type Share = number;

export interface DecisionShares {
  bags: number;
  correct: Share;
  wrong: Share;
  tied: Share;
  inconclusive: Share;
  rejected: Share;
}

export interface RealRow {
  condition: string;
  pooling: Scheme['pooling'];
  bagSize: number;
  bags: number;
  generators: number;
  identification: { accuracy: number } | null;
  verification: { same: number; different: number; auc: number; eer: number; cllrMin: number } | null;
  /** With the shipped calibration; null without one. */
  calibrated: {
    cllr: number;
    /** Comparisons outside what the calibration was validated for (stated as no LR). */
    outOfValidity: Share;
    differentAtLeast10: Share;
    differentAtLeast100: Share;
    sameAtMostTenth: Share;
    tippett: TippettCurve;
    /** Every generator in the gallery. */
    closedSet: DecisionShares;
    /** Each generator left out of the gallery in turn: 'wrong' is a wrong attribution of an unknown source. */
    openSet: DecisionShares | null;
  } | null;
  note: string | null;
}

export interface RealEvaluation {
  protocol: string;
  calibration: { id: string; population: string; validationPopulation: string | null } | null;
  rows: RealRow[];
}

function emptyShares(): DecisionShares {
  return { bags: 0, correct: 0, wrong: 0, tied: 0, inconclusive: 0, rejected: 0 };
}

function normalise(counts: DecisionShares): DecisionShares {
  const n = counts.bags || 1;
  return { bags: counts.bags, correct: counts.correct / n, wrong: counts.wrong / n, tied: counts.tied / n, inconclusive: counts.inconclusive / n, rejected: counts.rejected / n };
}

function tally(counts: DecisionShares, kind: string, model: string | null, truth: number): void {
  counts.bags++;
  if (kind === 'attributed') counts[model === String(truth) ? 'correct' : 'wrong']++;
  else if (kind === 'tied') counts.tied++;
  else if (kind === 'no-known-model') counts.rejected++;
  else counts.inconclusive++;
}

function decideBag(set: CalibrationSet, scheme: Scheme, bag: ScoredBag, allowed: (h: number) => boolean) {
  const entries = bag.scores.flatMap((score, h) => (allowed(h) && !Number.isNaN(score) ? [{ name: String(h), score, references: bag.references[h]! }] : []));
  const result = calibrateAndDecide(set, { pooling: scheme.pooling, size: scheme.bagSize, compression: bag.compression, minSide: bag.minSide }, entries, 'the evidence');
  return { entries, ...result };
}

function calibratedFigures(set: CalibrationSet, scheme: Scheme, bags: readonly ScoredBag[]): RealRow['calibrated'] {
  const same: number[] = [];
  const different: number[] = [];
  let outside = 0;
  const closed = emptyShares();
  const open = emptyShares();
  for (const bag of bags) {
    const { entries, calibrated, decision } = decideBag(set, scheme, bag, () => true);
    const undecidable = decision.outOfValidity.length > 0;
    entries.forEach((entry, i) => {
      // Outside what was validated the product states no LR: it counts as LR 1.
      const invalid = undecidable || calibrated[i]!.outOfValidity.length > 0;
      const log10Lr = invalid ? 0 : calibrated[i]!.log10Lr;
      if (invalid) outside++;
      (Number(entry.name) === bag.generator ? same : different).push(log10Lr);
    });
    tally(closed, decision.kind, decision.model, bag.generator);
    if (entries.length > 2) {
      const unknown = decideBag(set, scheme, bag, (h) => h !== bag.generator).decision;
      tally(open, unknown.kind, unknown.model, bag.generator);
    }
  }
  if (same.length === 0 || different.length === 0) return null;
  const share = (values: readonly number[], test: (x: number) => boolean) => values.filter(test).length / values.length;
  return {
    cllr: cllr(same, different),
    outOfValidity: outside / (same.length + different.length),
    differentAtLeast10: share(different, (x) => x >= 1),
    differentAtLeast100: share(different, (x) => x >= 2),
    sameAtMostTenth: share(same, (x) => x <= -1),
    tippett: tippettCurve(same, different, tippettGrid([...same, ...different])),
    closedSet: normalise(closed),
    openSet: open.bags > 0 ? normalise(open) : null,
  };
}

function realRow(folder: ConditionedFolder, scheme: Scheme, set: CalibrationSet | null, seed: number, signal?: AbortSignal): RealRow {
  const bags = scoreLeaveBagOut(folder, folder, { ...scheme, references: REAL_GALLERY_IMAGES, mode: 'capped', seed, signal });
  const row: RealRow = { condition: folder.condition, ...scheme, bags: bags.length, generators: new Set(bags.map((b) => b.generator)).size, identification: null, verification: null, calibrated: null, note: null };
  if (bags.length === 0) return { ...row, note: `no generator has ${scheme.bagSize + 1} images` };
  const correct = bags.filter((bag) => {
    let best = -1;
    bag.scores.forEach((s, h) => {
      if (!Number.isNaN(s) && (best < 0 || s > bag.scores[best]!)) best = h;
    });
    return best === bag.generator;
  }).length;
  row.identification = { accuracy: correct / bags.length };
  const same = bags.map((bag) => bag.scores[bag.generator]!);
  const different = bags.flatMap((bag) => bag.scores.filter((s, h) => h !== bag.generator && !Number.isNaN(s)));
  if (different.length === 0) return { ...row, note: 'verification needs at least two generators' };
  const { auc, eer } = verificationFigures(same, different);
  row.verification = { same: same.length, different: different.length, auc, eer, cllrMin: cllrMin(same, different) };
  row.calibrated = set ? calibratedFigures(set, scheme, bags) : null;
  return row;
}

export function evaluateReal(folders: readonly ConditionedFolder[], set: CalibrationSet | null, options: { seed: number; signal?: AbortSignal }): RealEvaluation {
  const rows = folders.flatMap((folder) => REAL_SCHEMES.map((scheme) => realRow(folder, scheme, set, options.seed, options.signal)));
  return {
    protocol:
      `Per condition (the whole folder transformed) and scheme: every image is a query once (bags of 5, 10, 50 cut from a seeded shuffle, seed ${options.seed}); ` +
      `its own generator's entry is the mean of up to ${REAL_GALLERY_IMAGES} of that generator's other images (leave-one-out), every other generator's entry the mean of its first ${REAL_GALLERY_IMAGES}. ` +
      'LRs from the shipped calibration entry for each comparison (pooling, bag size, entry reference count, the evidence\'s compression); outside what was validated: no LR (counted as LR 1). ' +
      'Decisions by the attribution rule; open set: each generator left out of the gallery in turn ("wrong" = an unknown source attributed to a gallery model).',
    calibration: set && { id: set.id, population: set.population.description, validationPopulation: set.validationPopulation?.description ?? null },
    rows,
  };
}
