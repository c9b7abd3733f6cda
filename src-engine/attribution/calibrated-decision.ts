// Scores against gallery entries turned into calibrated LRs and a decision, the same way wherever
// it happens (a case's attribution, `evaluate`): each entry's LR from the calibration entry for its
// own reference count and the evidence's pooling, size and compression; the open set assessed from
// the best score; evidence outside what was validated made inconclusive with the reasons.
import type { Decision } from '../api/contract.ts';
import { calibrationLog10Lr } from '../calibration/calibration.ts';
import { selectEntry, type CalibrationEntry, type CalibrationSet, type EvidenceFacts } from '../calibration/calibration-set.ts';
import { decide } from './decision.ts';

export interface ScoredEntry {
  name: string;
  score: number;
  /** Reference images behind the gallery entry. */
  references: number;
}

export interface CalibratedEntry {
  log10Lr: number;
  entry: CalibrationEntry;
}

export interface CalibratedDecision {
  /** In the order of the input. */
  calibrated: CalibratedEntry[];
  decision: Decision;
}

/**
 * The open-set LR of the best score. The open-set model was fitted with galleries of a given size;
 * a smaller gallery makes the best score of an unknown source lower than modelled (and "no known
 * model" too easy), so it is then not assessed.
 */
function openSetAssessment(entry: CalibrationEntry, bestScore: number, gallerySize: number): { log10Lr: number | null; note: string | null } {
  if (!entry.openSet) return { log10Lr: null, note: 'the calibration has no open-set model for this evidence' };
  if (gallerySize < entry.openSet.gallerySize) {
    return { log10Lr: null, note: `the gallery holds ${gallerySize} models, fewer than the ${entry.openSet.gallerySize} its open-set model was fitted with` };
  }
  return { log10Lr: calibrationLog10Lr(entry.openSet.calibration, bestScore), note: null };
}

export function calibrateAndDecide(set: CalibrationSet, evidence: Omit<EvidenceFacts, 'references'>, entries: readonly ScoredEntry[], subject: string): CalibratedDecision {
  if (entries.length === 0) throw new Error('a decision needs at least one gallery entry');
  const selected = entries.map((e) => {
    const chosen = selectEntry(set, { ...evidence, references: Math.max(1, e.references) });
    if (!chosen) throw new Error(`the calibration has no ${evidence.pooling} entry for ${evidence.size} images`);
    return chosen;
  });
  const calibrated = entries.map((e, i) => ({ log10Lr: calibrationLog10Lr(selected[i]!.entry.calibration, e.score), entry: selected[i]!.entry }));
  let best = 0;
  entries.forEach((e, i) => {
    if (e.score > entries[best]!.score) best = i;
  });
  const open = openSetAssessment(selected[best]!.entry, entries[best]!.score, entries.length);
  const decision = decide({
    candidates: entries.map((e, i) => ({ name: e.name, log10Lr: calibrated[i]!.log10Lr })),
    openSetLog10Lr: open.log10Lr,
    openSetNote: open.note,
    outOfValidity: [...new Set(selected.flatMap((s) => s.outOfValidity))],
    subject,
  });
  return { calibrated, decision };
}
