import { importEvidence } from '../../evidence/intake.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';

export const importCommand: Command = async (ctx, args) => {
  const { handle, positionals } = parseCaseArgs(ctx.library, args, {}, true);
  if (positionals.length === 0) throw new UsageError('usage: modelprint import --case <case> <files or folders...>');
  const outcome = await runInterruptible(ctx.json, ({ signal, progress }) =>
    importEvidence(handle, positionals, {
      actor: ctx.actor,
      signal,
      onProgress: (p) => {
        const c = p.counts;
        progress(`${p.done}/${p.total}  imported ${c.imported}  not analysable ${c.notAnalysable}  duplicates ${c.duplicates}  already in case ${c.alreadyInCase}  failed ${c.failed}`);
      },
    }),
  );
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, cancelled: outcome.cancelled, total: outcome.total, done: outcome.done, counts: outcome.counts, failures: outcome.failures });
  } else {
    const c = outcome.counts;
    ctx.print(`${outcome.cancelled ? 'Import cancelled' : 'Import finished'}: ${outcome.done} of ${outcome.total} files`);
    ctx.print(`  imported           ${c.imported}`);
    ctx.print(`  not analysable     ${c.notAnalysable}  (kept and hashed; see the case for reasons)`);
    ctx.print(`  duplicates         ${c.duplicates}  (recorded as custody events)`);
    ctx.print(`  already in case    ${c.alreadyInCase}`);
    ctx.print(`  could not be read  ${c.failed}`);
    for (const f of outcome.failures) ctx.print(`    ${f.path}: ${f.message}`);
  }
  if (outcome.cancelled) return ExitCode.cancelled;
  return outcome.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
};
