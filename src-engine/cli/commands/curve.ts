// `modelprint curve`: the C_T curve of the case's analysable items (or --items) as one set, with
// the installed layered encoder and reference set, recorded in the case; then the curve per layer
// and the gallery's models ranked by the paper's curve matching score.
import type { CaseCurves, CurveJob } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { runEngineJob } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseItemList } from '../item-list.ts';
import { terminalText } from '../terminal-text.ts';

export const MATCH_SCORE_STATEMENT =
  'Match score = 0.5 cos(a, b) + 0.5 / (1 + ||a - b||) over the layers, undefined layers counting 0: a similarity of curves, not a probability.';

export const curveCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { items: { type: 'string' } });
  const itemIds = parseItemList(values.items);
  const { job, engine } = await runEngineJob(
    ctx,
    (e) => e.handlers.startCurve({ caseId: handle.id, itemIds }),
    (j) => {
      const curve = j as CurveJob;
      return curve.phase === 'embed' ? `embedding ${curve.done}/${curve.total}  ${curve.current ?? ''}` : `C_T per layer of ${curve.counts.embedded} images ...`;
    },
  );
  try {
    const result = job as CurveJob;
    if (result.state === 'failed') throw new Error(result.error ?? 'the curve computation failed');
    const curves = await engine.handlers.getCurves({ caseId: handle.id });
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, state: result.state, curveId: result.curveId, counts: result.counts, failures: result.failures, ...curves });
    } else {
      for (const f of result.failures) ctx.print(`item ${f.itemId}: ${terminalText(f.message)}`);
      if (result.state === 'cancelled') ctx.print('Curve computation cancelled: nothing recorded.');
      else printCurves(ctx.print, curves, result);
    }
    if (result.state === 'cancelled') return ExitCode.cancelled;
    return result.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await engine.close();
  }
};

function printCurves(print: (line: string) => void, curves: CaseCurves, job: CurveJob): void {
  const record = curves.case!;
  print(`C_T curve of ${record.itemCount} images (${job.counts.skipped} not analysable, ${job.counts.failed} failed)`);
  print(`  encoder ${curves.encoder.name} ${curves.encoder.sha256}`);
  print(`  reference ${curves.reference.tCount} T + ${curves.reference.pCount} P, ${curves.reference.sha256}`);
  print('  layer       C_T  kept cells');
  record.values.forEach((value, i) => print(`  ${String(i + 1).padStart(5)}  ${(value === null ? 'undefined' : value.toFixed(3)).padStart(9)}  ${String(record.keptCells[i]).padStart(10)}`));
  if (record.note) print(`  note: ${record.note}`);
  if (curves.gallery.length === 0) {
    print('No gallery model has a curve for this encoder and reference set.');
    return;
  }
  print(`\nGallery curves ranked (${MATCH_SCORE_STATEMENT})`);
  const byModel = new Map(curves.gallery.map((g) => [g.model, g]));
  curves.matches.forEach((m, i) => {
    const g = byModel.get(m.model)!;
    print(`  ${String(i + 1).padStart(2)}. ${m.model.padEnd(28)} ${(g.family || '-').padEnd(12)} ${m.score.toFixed(3)}  (${g.imageCount} images)`);
  });
}
