// Live state of engine jobs (imports, verifications), fed by engine events. Events can be missed
// (the event stream connects after a fast job already ended, or reconnects), so while any job
// runs, listJobs is polled as a safety net; updates never move a job backwards.
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { JobStatus } from '../../../src-engine/api/contract.ts';
import { api } from '../api/index.ts';
import { showError } from './errors.svelte.ts';

const POLL_MS = 1500;

export const jobs = new SvelteMap<string, JobStatus>();
// Kept here, not in the screens: a summary the examiner closed stays closed when the screen is re-created (a tab switch).
const dismissedJobIds = new SvelteSet<string>();
const finishedListeners = new Set<(job: JobStatus) => void>();
const caseChangedListeners = new Set<(caseId: string) => void>();

export function isRunning(job: JobStatus): boolean {
  return job.state === 'running';
}

export function recordJob(job: JobStatus): void {
  const known = jobs.get(job.id);
  if (known && (!isRunning(known) || (isRunning(job) && job.done < known.done))) return;
  jobs.set(job.id, job);
  if (!isRunning(job)) for (const listener of finishedListeners) listener(job);
}

export function onJobFinished(listener: (job: JobStatus) => void): () => void {
  finishedListeners.add(listener);
  return () => finishedListeners.delete(listener);
}

export function onCaseChanged(listener: (caseId: string) => void): () => void {
  caseChangedListeners.add(listener);
  return () => caseChangedListeners.delete(listener);
}

/** Subscribes to engine events for the life of the app; returns the disconnect function. */
export function connectEngineEvents(): () => void {
  const unsubscribe = api.onEvent((event) => {
    if (event.type === 'job') recordJob(event.job);
    else for (const listener of caseChangedListeners) listener(event.caseId);
  });
  let polling = false;
  const timer = setInterval(async () => {
    if (polling || ![...jobs.values()].some(isRunning)) return;
    polling = true;
    try {
      for (const job of await api.listJobs({})) recordJob(job);
    } catch (error) {
      showError('Checking job progress', error);
    } finally {
      polling = false;
    }
  }, POLL_MS);
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

/**
 * The jobs a screen shows: all running ones it cares about, and of the finished ones only the
 * latest (until dismissed), so progress panels never crowd out the screen's own content.
 */
export function shownJobs(mine: (job: JobStatus) => boolean): JobStatus[] {
  const matching = [...jobs.values()].filter((job) => mine(job) && !dismissedJobIds.has(job.id)).sort((a, b) => a.startedUtc.localeCompare(b.startedUtc));
  const latestFinished = matching.findLast((job) => !isRunning(job));
  return matching.filter((job) => isRunning(job) || job === latestFinished);
}

export function dismissJob(job: JobStatus): void {
  dismissedJobIds.add(job.id);
}

export async function cancelJob(job: JobStatus): Promise<void> {
  try {
    recordJob(await api.cancelJob({ jobId: job.id }));
  } catch (error) {
    showError('Cancelling the job', error);
  }
}
