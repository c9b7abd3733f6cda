// An entry's figures on the validation generators: its LRs on their same- and different-source
// comparisons (Cllr, Cllr_min, misleading-evidence rates, Tippett data), and the decision rule in
// the open set: each generator in turn left out of a gallery of the others (is it wrongly
// attributed, inconclusive, or rejected as "no known model"?) and kept in it (is it attributed
// to itself?).
import { decide } from './decision.ts';
import { calibrationLog10Lr } from './calibration.ts';
import type { CalibrationEntry, EntryValidation } from './calibration-set.ts';
import { comparisonsOf, lrFigures, OPEN_SET_GALLERY, tippettGrid } from './fit-entry.ts';
import { bestScore, type ScoredBag } from './leave-bag-out.ts';
import { tippettCurve } from './tippett.ts';

export type BagDecision = ReturnType<typeof decide>['kind'];

/** The rule's decision on one bag against the entries `allowed` admits, all calibrated by `entry`. */
export function decideWithEntry(bag: ScoredBag, entry: CalibrationEntry, allowed: (generator: number) => boolean): { kind: BagDecision; model: number | null } {
  const candidates = bag.scores.flatMap((score, h) => (allowed(h) && !Number.isNaN(score) ? [{ name: String(h), log10Lr: calibrationLog10Lr(entry.calibration, score) }] : []));
  if (candidates.length === 0) return { kind: 'inconclusive', model: null };
  const best = bestScore(bag, allowed);
  const openSetLog10Lr = entry.openSet && candidates.length >= entry.openSet.gallerySize ? calibrationLog10Lr(entry.openSet.calibration, best.score) : null;
  const decision = decide({ candidates, openSetLog10Lr, subject: 'the evidence' });
  return { kind: decision.kind, model: decision.model === null ? null : Number(decision.model) };
}

export function validateEntry(entry: CalibrationEntry, bags: readonly ScoredBag[]): EntryValidation | null {
  const scores = comparisonsOf(bags);
  if (scores.same.length === 0 || scores.different.length === 0) return null;
  const same = scores.same.map((s) => calibrationLog10Lr(entry.calibration, s));
  const different = scores.different.map((s) => calibrationLog10Lr(entry.calibration, s));
  const generators = new Set(scores.sameGenerator).size;
  let openSet: EntryValidation['openSet'] = null;
  const openBags = bags.filter((bag) => bag.scores.filter((s, h) => h !== bag.generator && !Number.isNaN(s)).length >= OPEN_SET_GALLERY);
  if (openBags.length > 0) {
    let [rejected, attributed, kept] = [0, 0, 0];
    for (const bag of openBags) {
      const unknown = decideWithEntry(bag, entry, (h) => h !== bag.generator);
      if (unknown.kind === 'no-known-model') rejected++;
      if (unknown.kind === 'attributed') attributed++;
      const known = decideWithEntry(bag, entry, () => true);
      if (known.kind === 'attributed' && known.model === bag.generator) kept++;
    }
    openSet = { unknownRejected: rejected / openBags.length, unknownAttributed: attributed / openBags.length, knownKept: kept / openBags.length, bags: openBags.length };
  }
  return {
    ...lrFigures(same, different, scores.same, scores.different, generators),
    tippett: tippettCurve(same, different, tippettGrid([...same, ...different])),
    openSet,
  };
}
