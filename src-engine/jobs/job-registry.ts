// Long-running work (imports, verification) as jobs: progress events, cancellation, final state.
import { randomUUID } from 'node:crypto';
import type { ApiErrorCode, JobStatus } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { utcNow } from '../base/time.ts';
import { noteJobFailure } from './integrity-failures.ts';

/** Progress events are coalesced: a 10,000-file import must not flood the IPC channel. */
const PROGRESS_INTERVAL_MS = 100;
/** Finished jobs kept for listJobs; older ones are forgotten (their outcome is in the audit log). */
const FINISHED_KEPT = 50;

type Publish = (job: JobStatus) => void;

interface Entry {
  status: JobStatus;
  controller: AbortController;
  lastPublished: number;
}

export interface JobContext<J extends JobStatus> {
  signal: AbortSignal;
  /** Merge progress into the job and publish it (throttled). */
  update(patch: Partial<J>): void;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Entry>();
  private readonly publish: Publish;

  constructor(publish: Publish) {
    this.publish = publish;
  }

  start<J extends JobStatus>(initial: Omit<J, 'id' | 'state' | 'startedUtc' | 'finishedUtc' | 'error' | 'errorCode'>, run: (ctx: JobContext<J>) => Promise<{ cancelled: boolean }>): J {
    const status = { ...initial, id: randomUUID(), state: 'running', startedUtc: utcNow(), finishedUtc: null, error: null, errorCode: null } as J;
    const entry: Entry = { status, controller: new AbortController(), lastPublished: 0 };
    this.jobs.set(status.id, entry);
    const ctx: JobContext<J> = {
      signal: entry.controller.signal,
      update: (patch) => {
        Object.assign(entry.status, patch);
        const now = Date.now();
        if (now - entry.lastPublished >= PROGRESS_INTERVAL_MS) {
          entry.lastPublished = now;
          this.publish(structuredClone(entry.status));
        }
      },
    };
    this.publish(structuredClone(status));
    void run(ctx).then(
      ({ cancelled }) => this.finish(entry, cancelled ? 'cancelled' : 'done', null),
      (error: unknown) => {
        noteJobFailure(status.id, error);
        this.finish(entry, 'failed', error instanceof Error ? error.message : String(error), error instanceof ApiError ? error.code : null);
      },
    );
    return structuredClone(status);
  }

  private finish(entry: Entry, state: JobStatus['state'], error: string | null, errorCode: ApiErrorCode | null = null): void {
    Object.assign(entry.status, { state, error, errorCode, finishedUtc: utcNow(), current: null });
    this.publish(structuredClone(entry.status));
    const finished = [...this.jobs.values()].filter((e) => e.status.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.jobs.delete(old.status.id);
  }

  cancel(jobId: string): JobStatus {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new ApiError('not_found', `no job ${jobId}`);
    entry.controller.abort();
    return structuredClone(entry.status);
  }

  list(): JobStatus[] {
    return [...this.jobs.values()].map((e) => structuredClone(e.status));
  }

  /** Resolves when every running job has ended (used on shutdown). */
  async cancelAll(): Promise<void> {
    for (const entry of this.jobs.values()) entry.controller.abort();
    while ([...this.jobs.values()].some((e) => e.status.state === 'running')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
