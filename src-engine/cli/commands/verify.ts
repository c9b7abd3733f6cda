import { listFindings } from '../../cases/case-database.ts';
import { verifyEvidence } from '../../integrity/verify-evidence.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { printRecords } from '../record-coverage.ts';
import { terminalText } from '../terminal-text.ts';

export const verifyCommand: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const outcome = await runInterruptible(ctx.json, ({ signal, progress }) =>
    verifyEvidence(handle, {
      actor: ctx.actor,
      signal,
      onProgress: (p) => progress(`verified ${p.done}/${p.total}  mismatched ${p.counts.mismatched}  missing ${p.counts.missing}`),
    }),
  );
  const open = listFindings(handle.db).filter((f) => f.resolvedUtc === null);
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, cancelled: outcome.cancelled, total: outcome.total, counts: outcome.counts, reportProblems: outcome.reportProblems, records: outcome.records, openFindings: open });
  } else {
    const c = outcome.counts;
    ctx.print(`${outcome.cancelled ? 'Verification cancelled' : 'Verification finished'}: ${c.verified} of ${outcome.total} items match their intake hash`);
    if (c.mismatched) ctx.print(`  HASH MISMATCH: ${c.mismatched} item(s)`);
    if (c.missing) ctx.print(`  MISSING: ${c.missing} item(s)`);
    if (outcome.reportProblems.length) ctx.print(`  REPORT FILES CHANGED OR MISSING: ${outcome.reportProblems.length}`);
    if (outcome.records) printRecords(ctx, outcome.records, 'audit chain');
    for (const f of open) ctx.print(`  finding #${f.id}  item ${f.itemId}  ${f.kind}  detected ${f.detectedUtc}  ${terminalText(JSON.stringify(f.details))}`);
  }
  if (outcome.cancelled) return ExitCode.cancelled;
  const problems = outcome.counts.mismatched + outcome.counts.missing + outcome.reportProblems.length + (outcome.records?.problems.length ?? 0);
  return problems > 0 ? ExitCode.integrityFailure : ExitCode.ok;
};
