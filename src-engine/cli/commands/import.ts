// `modelprint import`: the engine's import job (hash, copy, probe each file into the case), as the
// app runs it, with progress on stderr and Ctrl-C cancelling it.
import type { JobStatus } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { failedJobError, runEngineJob } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';

type ImportJob = Extract<JobStatus, { kind: 'import' }>;

export const importCommand: Command = async (ctx, args) => {
  const { handle, positionals } = parseCaseArgs(ctx.library, args, {}, true);
  if (positionals.length === 0) throw new UsageError('usage: modelprint import --case <case> <files or folders...>');
  const { job, engine } = await runEngineJob(
    ctx,
    (e) => e.handlers.startImport({ caseId: handle.id, paths: positionals, via: 'path' }),
    (j) => {
      const p = j as ImportJob;
      const c = p.counts;
      return `${p.done}/${p.total}  imported ${c.imported}  not analysable ${c.notAnalysable}  duplicates ${c.duplicates}  already in case ${c.alreadyInCase}  failed ${c.failed}`;
    },
  );
  try {
    const outcome = job as ImportJob;
    if (outcome.state === 'failed') throw failedJobError(outcome, 'the import failed');
    const cancelled = outcome.state === 'cancelled';
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, cancelled, total: outcome.total, done: outcome.done, counts: outcome.counts, failures: outcome.failures });
    } else {
      const c = outcome.counts;
      ctx.print(`${cancelled ? 'Import cancelled' : 'Import finished'}: ${outcome.done} of ${outcome.total} files`);
      ctx.print(`  imported           ${c.imported}`);
      ctx.print(`  not analysable     ${c.notAnalysable}  (kept and hashed; see the case for reasons)`);
      ctx.print(`  duplicates         ${c.duplicates}  (recorded as custody events)`);
      ctx.print(`  already in case    ${c.alreadyInCase}`);
      ctx.print(`  could not be read  ${c.failed}`);
      for (const f of outcome.failures) ctx.print(`    ${f.path}: ${f.message}`);
    }
    if (cancelled) return ExitCode.cancelled;
    return outcome.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await engine.close();
  }
};
