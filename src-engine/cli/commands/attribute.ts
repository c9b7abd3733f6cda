// `modelprint attribute`: attributes a case's items against the gallery with calibrated likelihood
// ratios and the open-set decision (attributed / not told apart / inconclusive / no known model),
// each image on its own and, with --set, the selection as one set. Every result is printed with
// what qualifies it: the evidence's condition, why it lies outside the validated range, the
// relevant population and the calibration's figures on the validation (real) generators. Runs the
// engine's attribution job (fingerprinting items that need it first), which records the result, a
// custody event per item and an audit entry.
import type { AttributedCandidate, AttributionRecord, Decision, JobStatus, UsedCalibration } from '../../api/contract.ts';
import { lrText } from '../../api/likelihood-ratio.ts';
import { compressionWords } from '../../calibration/calibration-set.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { runEngineJob } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseItemList } from '../item-list.ts';
import { UsageError } from '../usage-error.ts';

type AttributionJob = Extract<JobStatus, { kind: 'attribution' }>;

export const attributeCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { items: { type: 'string' }, set: { type: 'boolean', default: false }, top: { type: 'string', default: '5' } });
  const top = Number(values.top);
  if (!Number.isSafeInteger(top) || top < 1 || top > 100) throw new UsageError(`--top must be an integer from 1 to 100, not "${values.top}"`);
  const mode = values.set === true ? 'set' : 'items';
  const { job, engine } = await runEngineJob(
    ctx,
    (e) => e.handlers.startAttribution({ caseId: handle.id, itemIds: parseItemList(values.items), mode, top }),
    (j) => `${(j as AttributionJob).phase === 'fingerprint' ? 'fingerprinting' : 'attributing'} ${j.done}/${j.total}  ${j.current ?? ''}`,
  );
  try {
    const result = job as AttributionJob;
    if (result.state === 'cancelled') {
      if (!ctx.json) ctx.print('Attribution cancelled: nothing was recorded (fingerprints already computed are kept).');
      else ctx.emitJson({ caseId: handle.id, state: result.state, attribution: null });
      return ExitCode.cancelled;
    }
    if (result.state === 'failed') throw new Error(result.error ?? 'attribution failed');
    const record = (await engine.handlers.listAttributions({ caseId: handle.id })).find((r) => r.id === result.attributionId);
    if (!record) throw new Error(`attribution ${result.attributionId} was not recorded`);
    if (ctx.json) ctx.emitJson({ caseId: handle.id, state: result.state, attribution: record });
    else printRecord(ctx.print, record);
    return record.skipped.length > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await engine.close();
  }
};

const POOLING_TEXT = { single: 'single image', mean: 'mean of', deepsets: 'DeepSets over' } as const;

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The calibration's identity, what evidence it is for, and its held-out figures on the calibration generators. */
function calibrationText(used: UsedCalibration | undefined): string {
  if (!used) return 'calibration not found';
  const what = used.pooling === 'single' ? POOLING_TEXT.single : `${POOLING_TEXT[used.pooling]} ${used.bagSize} image${used.bagSize === 1 ? '' : 's'}`;
  const heldOut = used.heldOut
    ? `held-out Cllr ${used.heldOut.cllr.toFixed(3)}, Cllr_min ${used.heldOut.cllrMin.toFixed(3)}, ${used.heldOut.folds} folds, on the calibration generators`
    : 'no held-out figures';
  return `calibration ${used.calibrationId.slice(0, 12)} (${what}; ${heldOut}) for gallery entries of ${used.references} reference image${used.references === 1 ? '' : 's'} and ${compressionWords(used.compression)}`;
}

/** The figures that qualify the LRs: measured on real generators no fitting or choice used. */
function validationText(used: UsedCalibration | undefined): string {
  const v = used?.validation;
  if (!used) return '';
  if (!v) return 'NOT VALIDATED on real generators: its LRs are not reported as evidence';
  const openSet = v.openSet ? `; open set (${v.openSet.bags} bags): unknown models attributed ${percent(v.openSet.unknownAttributed)}, rejected ${percent(v.openSet.unknownRejected)}` : '';
  return (
    `validation on ${v.generators} real generator${v.generators === 1 ? '' : 's'} (${v.same} same-model, ${v.different} wrong-model comparisons): Cllr ${v.cllr.toFixed(3)}, Cllr_min ${v.cllrMin.toFixed(3)}; ` +
    `wrong-model comparisons at LR >= 10: ${percent(v.differentAtLeast10)}, >= 100: ${percent(v.differentAtLeast100)}; same-model at LR <= 1/10: ${percent(v.sameAtMostTenth)}${openSet}`
  );
}

function signed(log10Lr: number): string {
  return `${log10Lr >= 0 ? '+' : ''}${log10Lr.toFixed(2)}`;
}

function headline(decision: Decision): string {
  const lr = `LR ${lrText(decision.log10Lr)} (log10 ${signed(decision.log10Lr)})`;
  if (decision.kind === 'attributed') return `ATTRIBUTED to ${decision.model}  ${lr}`;
  if (decision.kind === 'tied') return `NOT TOLD APART  ${[decision.candidate, ...decision.alsoSupported].join(', ')}  top ${lr}`;
  if (decision.kind === 'no-known-model') return `NO KNOWN MODEL  best candidate ${decision.candidate}, ${lr}`;
  return `INCONCLUSIVE  best candidate ${decision.candidate}, ${lr}${decision.outOfValidity.length > 0 ? '  (outside the validated range)' : ''}`;
}

function printCandidates(print: (line: string) => void, candidates: readonly AttributedCandidate[], calibrationId: string): void {
  for (const c of candidates) {
    const flags = [
      c.weakReference ? `weak reference: ${c.referenceImages} images` : '',
      c.referenceOverlap ? 'reference overlap' : '',
      // A candidate's LR comes from the entry for its own reference count, which may not be the result's.
      c.calibrationId !== calibrationId ? `calibration ${c.calibrationId.slice(0, 12)}` : '',
    ].filter(Boolean);
    print(
      `    ${String(c.rank).padStart(2)}. ${c.name.padEnd(24)} ${(c.family || '-').padEnd(12)} cosine ${c.score.toFixed(3)}  log10 LR ${signed(c.log10Lr).padStart(7)}  ${c.verbal.strength}${c.verbal.favours === 'other-model' ? ' against' : ''}${flags.length ? `  [${flags.join('; ')}]` : ''}`,
    );
  }
}

/** One result (an item, or a set by one pooling): its decision, what qualifies it, its calibrations and candidates. */
function printResult(
  print: (line: string) => void,
  result: { calibrationId: string; evidenceCondition: string; candidates: readonly AttributedCandidate[]; decision: Decision },
  calibration: ReadonlyMap<string, UsedCalibration>,
): void {
  const { decision } = result;
  print(`  evidence: ${result.evidenceCondition}`);
  if (decision.outOfValidity.length > 0) {
    print('  outside what the calibration was validated for:');
    for (const reason of decision.outOfValidity) print(`    - ${reason}`);
  }
  print(`  ${decision.wording}`);
  if (decision.openSetLog10Lr !== null) print(`  open set: LR ${lrText(decision.openSetLog10Lr)} for "made by a gallery model" against "made by a model outside the gallery"`);
  for (const id of new Set([result.calibrationId, ...result.candidates.map((c) => c.calibrationId)])) {
    print(`  ${calibrationText(calibration.get(id))}`);
    const validation = validationText(calibration.get(id));
    if (validation) print(`    ${validation}`);
  }
  printCandidates(print, result.candidates, result.calibrationId);
}

function printRecord(print: (line: string) => void, record: AttributionRecord): void {
  const calibration = new Map(record.calibration.entries.map((e) => [e.calibrationId, e]));
  print(`Attribution ${record.id}: ${record.items.length} item${record.items.length === 1 ? '' : 's'} against ${record.gallery.models} gallery models`);
  print(`  extractor ${record.extractor.name} ${record.extractor.sha256.slice(0, 16)}  gallery snapshot ${record.gallery.sha256.slice(0, 16)}  calibration set ${record.calibration.id.slice(0, 16)}`);
  print(`  LRs compare "${record.propositions.same}" with "${record.propositions.different}".`);
  print(`  "Another model" is one of the relevant population. ${record.propositions.population}`);
  print(
    '  Decision rule: top candidate log10 LR >= 1 attributed, <= -1 no known model (also when the open-set LR is 1/10 or less); ' +
      'top two within a factor of 10 at LR >= 10: not told apart (both named); evidence outside the validated range, or anything between: inconclusive.',
  );
  if (record.gallery.weakReferences.length > 0) print(`  Weak references (< 10 reference images): ${record.gallery.weakReferences.join(', ')}`);
  if (record.gallery.excluded.length > 0) print(`  Not matched (no fingerprint for this extractor: re-enrol): ${record.gallery.excluded.join(', ')}`);
  for (const item of record.items) {
    print(`\nitem ${item.itemId}  ${item.originalName}`);
    print(`  ${headline(item.decision)}`);
    printResult(print, item, calibration);
  }
  const set = record.set;
  if (set) {
    print(`\nThe ${set.size} items as one set`);
    for (const [label, method] of [['mean pooling', set.mean], ['DeepSets', set.deepsets]] as const) {
      if (!method) continue;
      print(`  ${label}: ${headline(method.decision)}`);
      printResult(print, method, calibration);
    }
    if (set.deepsetsNote) print(`  ${set.deepsetsNote}`);
    if (set.overlappingItems.length > 0) print(`  Items that are gallery reference images: ${set.overlappingItems.join(', ')}`);
  }
  for (const s of record.skipped) print(`\nitem ${s.itemId}  ${s.originalName}: not attributed (${s.reason})`);
}
