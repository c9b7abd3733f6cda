// `modelprint fingerprint`: the engine's fingerprint job over every analysable item of the case,
// as the app runs it, with progress on stderr and Ctrl-C cancelling it.
import type { JobStatus } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { failedJobError, runEngineJob } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';

type FingerprintJob = Extract<JobStatus, { kind: 'fingerprint' }>;

export const fingerprintCommand: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const { job, engine } = await runEngineJob(
    ctx,
    (e) => e.handlers.startFingerprint({ caseId: handle.id }),
    (j) => {
      const p = j as FingerprintJob;
      const c = p.counts;
      return `fingerprinted ${p.done}/${p.total} on ${p.provider}  computed ${c.computed}  reused ${c.reused}  skipped ${c.skipped}  failed ${c.failed}`;
    },
  );
  try {
    const result = job as FingerprintJob;
    if (result.state === 'failed') throw failedJobError(result, 'fingerprinting failed');
    const model = await engine.handlers.getModelInfo({});
    const outcome = {
      total: result.total,
      done: result.done,
      current: result.current,
      counts: result.counts,
      provider: result.provider,
      failures: result.failures,
      cancelled: result.state === 'cancelled',
    };
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, model: { name: model.name, sha256: model.sha256 }, ...outcome });
    } else {
      const c = outcome.counts;
      ctx.print(`${outcome.cancelled ? 'Fingerprinting cancelled' : 'Fingerprinting finished'}: ${outcome.total} items with ${model.name} on ${outcome.provider}`);
      ctx.print(`  computed ${c.computed}, reused ${c.reused}, skipped ${c.skipped} (not analysable), failed ${c.failed}`);
      for (const f of outcome.failures) ctx.print(`  item ${f.itemId}: ${f.message}`);
    }
    if (outcome.cancelled) return ExitCode.cancelled;
    return outcome.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await engine.close();
  }
};
