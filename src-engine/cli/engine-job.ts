// The command line's way into the engine: withEngine runs calls on an engine over the CLI's library
// folder; runEngineJob runs one engine job (import, verify, fingerprint, provenance, report, ...):
// the same code path as the app, with progress on stderr and Ctrl-C cancelling the job. The caller
// of runEngineJob reads what it needs from the engine, then closes it.
import type { JobStatus } from '../api/contract.ts';
import type { Engine } from '../api/engine-types.ts';
import { ApiError } from '../api/errors.ts';
import { createEngine } from '../engine.ts';
import { integrityFailureOf } from '../jobs/integrity-failures.ts';
import type { CliContext } from './context.ts';
import { progressReporter } from './progress-line.ts';

const POLL_MS = 200;

function openEngine(ctx: CliContext): Engine {
  return createEngine({ home: ctx.library.home, host: 'browser', actor: ctx.actor });
}

/** Runs `work` on an engine over the CLI's library, closed afterwards. */
export async function withEngine<T>(ctx: CliContext, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = openEngine(ctx);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

export async function runEngineJob(
  ctx: CliContext,
  start: (engine: Engine) => Promise<JobStatus>,
  describe: (job: JobStatus) => string,
): Promise<{ job: JobStatus; engine: Engine }> {
  const engine = openEngine(ctx);
  const bar = progressReporter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  let jobId: string | null = null;
  const onSigint = (): void => void (jobId && engine.handlers.cancelJob({ jobId }));
  process.once('SIGINT', onSigint);
  try {
    jobId = (await start(engine)).id;
    for (;;) {
      const job = (await engine.handlers.listJobs({})).find((j) => j.id === jobId)!;
      if (!ctx.json) bar.update(describe(job));
      if (job.state !== 'running') {
        bar.end();
        // A job ended by an integrity failure exits 1, as the same failure outside a job does.
        const integrity = job.state === 'failed' ? integrityFailureOf(job.id) : undefined;
        if (integrity) throw integrity;
        return { job, engine };
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    await engine.close();
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The error a failed job ended with, as it was thrown: an ApiError keeps its code (and so the exit code). */
export function failedJobError(job: JobStatus, fallback: string): Error {
  const message = job.error ?? fallback;
  return job.errorCode === null ? new Error(message) : new ApiError(job.errorCode, message);
}
