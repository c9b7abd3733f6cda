// `modelprint verify`: the engine's verification job (re-hash every stored item against its intake
// hash), as the app runs it, then the case's open findings.
import type { JobStatus } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { failedJobError, runEngineJob } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';

type VerifyJob = Extract<JobStatus, { kind: 'verify' }>;

export const verifyCommand: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const { job, engine } = await runEngineJob(
    ctx,
    (e) => e.handlers.startVerify({ caseId: handle.id }),
    (j) => {
      const p = j as VerifyJob;
      return `verified ${p.done}/${p.total}  mismatched ${p.counts.mismatched}  missing ${p.counts.missing}`;
    },
  );
  try {
    const outcome = job as VerifyJob;
    if (outcome.state === 'failed') throw failedJobError(outcome, 'the verification failed');
    const cancelled = outcome.state === 'cancelled';
    const open = (await engine.handlers.listFindings({ caseId: handle.id })).filter((f) => f.resolvedUtc === null);
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, cancelled, total: outcome.total, counts: outcome.counts, openFindings: open });
    } else {
      const c = outcome.counts;
      ctx.print(`${cancelled ? 'Verification cancelled' : 'Verification finished'}: ${c.verified} of ${outcome.total} items match their intake hash`);
      if (c.mismatched) ctx.print(`  HASH MISMATCH: ${c.mismatched} item(s)`);
      if (c.missing) ctx.print(`  MISSING: ${c.missing} item(s)`);
      for (const f of open) ctx.print(`  finding #${f.id}  item ${f.itemId}  ${f.kind}  detected ${f.detectedUtc}  ${JSON.stringify(f.details)}`);
    }
    if (cancelled) return ExitCode.cancelled;
    return outcome.counts.mismatched + outcome.counts.missing > 0 ? ExitCode.integrityFailure : ExitCode.ok;
  } finally {
    await engine.close();
  }
};
