// Integrity errors (a hostile case database, a model or reference set failing its hash, audit rows
// beyond the head) that ended a job, kept by job id in this process: the command line runs the
// engine in-process, and exits 1 for them rather than 70 (a job's status carries only a message).
import { IntegrityApiError } from '../api/integrity-error.ts';
import { CaseIntegrityError } from '../base/case-integrity.ts';

const KEPT = 50;
const byJob = new Map<string, Error>();

export function isIntegrityError(error: unknown): error is Error {
  return error instanceof CaseIntegrityError || error instanceof IntegrityApiError;
}

export function noteJobFailure(jobId: string, error: unknown): void {
  if (!isIntegrityError(error)) return;
  byJob.set(jobId, error);
  for (const old of [...byJob.keys()].slice(0, Math.max(0, byJob.size - KEPT))) byJob.delete(old);
}

/** The integrity error that ended the job, if one did. */
export function integrityFailureOf(jobId: string): Error | undefined {
  return byJob.get(jobId);
}
