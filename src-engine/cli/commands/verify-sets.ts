// `modelprint verify-sets`: were two disjoint sets of a case's (fingerprinted) items made by the
// same model? A calibrated LR for mean pooling, and for DeepSets when its calibration is usable.
// The comparison is recorded in the case's audit log.
import { lrText } from '../../api/likelihood-ratio.ts';
import { createEngine } from '../../engine.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseItemList } from '../item-list.ts';
import { UsageError } from '../usage-error.ts';

export const verifySetsCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { a: { type: 'string' }, b: { type: 'string' } });
  const a = parseItemList(values.a);
  const b = parseItemList(values.b);
  if (!a || !b) throw new UsageError('usage: modelprint verify-sets --case <case> --a 1,2,5-7 --b 8-12');
  const engine = createEngine({ home: ctx.library.home, host: 'browser', actor: ctx.actor });
  try {
    const result = await engine.handlers.verifySets({ caseId: handle.id, a, b });
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, a, b, ...result });
      return ExitCode.ok;
    }
    ctx.print(`Set A: ${result.sizeA} items, set B: ${result.sizeB} items`);
    ctx.print(`  mean pooling: cosine ${result.score.toFixed(3)}  LR ${lrText(result.log10Lr)} (log10 ${result.log10Lr.toFixed(2)})  ${result.verbal.strength}`);
    ctx.print(`  ${result.wording}`);
    ctx.print(`  calibration ${result.calibrationId.slice(0, 12)} (bags of ${result.bagSize}) of calibration set ${result.calibrationSetId.slice(0, 12)}`);
    if (result.deepsets) {
      const d = result.deepsets;
      ctx.print(`  DeepSets: cosine ${d.score.toFixed(3)}  LR ${lrText(d.log10Lr)} (log10 ${d.log10Lr.toFixed(2)})  ${d.verbal.strength}; calibration ${d.calibrationId.slice(0, 12)} (bags of ${d.bagSize})`);
    }
    if (result.deepsetsNote) ctx.print(`  ${result.deepsetsNote}`);
    for (const note of result.notes) ctx.print(`  Note: ${note}`);
    return ExitCode.ok;
  } finally {
    await engine.close();
  }
};
