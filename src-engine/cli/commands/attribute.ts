// `modelprint attribute`: attributes a case's items against the gallery with calibrated likelihood
// ratios and the open-set decision (attributed / inconclusive / no known model), each image on its
// own and, with --set, the selection as one set. Runs the engine's attribution job (fingerprinting
// items that need it first), which records the result, a custody event per item and an audit entry.
import type { AttributedCandidate, AttributionRecord, Decision, JobStatus, UsedCalibration } from '../../api/contract.ts';
import { lrText } from '../../attribution/decision.ts';
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

function calibrationText(used: UsedCalibration | undefined): string {
  if (!used) return 'calibration not found';
  const what = used.pooling === 'single' ? POOLING_TEXT.single : `${POOLING_TEXT[used.pooling]} ${used.bagSize} images`;
  const { cllr, cllrMin, folds } = used.heldOut;
  return `calibration ${used.calibrationId.slice(0, 12)} (${what}; held-out Cllr ${cllr.toFixed(3)}, Cllr_min ${cllrMin.toFixed(3)}, ${folds} folds)`;
}

function signed(log10Lr: number): string {
  return `${log10Lr >= 0 ? '+' : ''}${log10Lr.toFixed(2)}`;
}

function headline(decision: Decision): string {
  const lr = `LR ${lrText(decision.log10Lr)} (log10 ${signed(decision.log10Lr)})`;
  if (decision.kind === 'attributed') return `ATTRIBUTED to ${decision.model}  ${lr}`;
  if (decision.kind === 'no-known-model') return `NO KNOWN MODEL  best candidate ${decision.candidate}, ${lr}`;
  return `INCONCLUSIVE  best candidate ${decision.candidate}, ${lr}`;
}

function printCandidates(print: (line: string) => void, candidates: readonly AttributedCandidate[]): void {
  for (const c of candidates) {
    const flags = [c.weakReference ? `weak reference: ${c.referenceImages} images` : '', c.referenceOverlap ? 'reference overlap' : ''].filter(Boolean);
    print(
      `    ${String(c.rank).padStart(2)}. ${c.name.padEnd(24)} ${(c.family || '-').padEnd(12)} cosine ${c.score.toFixed(3)}  log10 LR ${signed(c.log10Lr).padStart(7)}  ${c.verbal.strength}${c.verbal.favours === 'other-model' ? ' against' : ''}${flags.length ? `  [${flags.join('; ')}]` : ''}`,
    );
  }
}

function printRecord(print: (line: string) => void, record: AttributionRecord): void {
  const calibration = new Map(record.calibration.entries.map((e) => [e.calibrationId, e]));
  print(`Attribution ${record.id}: ${record.items.length} item${record.items.length === 1 ? '' : 's'} against ${record.gallery.models} gallery models`);
  print(`  extractor ${record.extractor.name} ${record.extractor.sha256.slice(0, 16)}  gallery snapshot ${record.gallery.sha256.slice(0, 16)}  calibration set ${record.calibration.id.slice(0, 16)}`);
  print(`  LRs compare "${record.propositions.same}" with "${record.propositions.different}".`);
  print(`  Relevant population (calibration data): ${record.propositions.population}`);
  print('  Decision rule: top candidate log10 LR >= 1 attributed, <= -1 no known model, otherwise inconclusive.');
  if (record.gallery.weakReferences.length > 0) print(`  Weak references (< 10 reference images): ${record.gallery.weakReferences.join(', ')}`);
  if (record.gallery.excluded.length > 0) print(`  Not matched (no fingerprint for this extractor: re-enrol): ${record.gallery.excluded.join(', ')}`);
  for (const item of record.items) {
    print(`\nitem ${item.itemId}  ${item.originalName}`);
    print(`  ${headline(item.decision)}`);
    print(`  ${item.decision.wording}`);
    print(`  ${calibrationText(calibration.get(item.calibrationId))}`);
    printCandidates(print, item.candidates);
  }
  const set = record.set;
  if (set) {
    print(`\nThe ${set.size} items as one set`);
    for (const [label, method] of [['mean pooling', set.mean], ['DeepSets', set.deepsets]] as const) {
      if (!method) continue;
      print(`  ${label}: ${headline(method.decision)}`);
      print(`  ${method.decision.wording}`);
      print(`  ${calibrationText(calibration.get(method.calibrationId))}`);
      printCandidates(print, method.candidates);
    }
    if (set.deepsetsNote) print(`  ${set.deepsetsNote}`);
    if (set.overlappingItems.length > 0) print(`  Items that are gallery reference images: ${set.overlappingItems.join(', ')}`);
  }
  for (const s of record.skipped) print(`\nitem ${s.itemId}  ${s.originalName}: not attributed (${s.reason})`);
}
