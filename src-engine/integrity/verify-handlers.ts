// The API handler of integrity verification: a job that re-hashes every stored item of a case.
import type { ApiHandlers, JobStatus } from '../api/contract.ts';
import type { Library } from '../cases/library.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { verifyEvidence } from './verify-evidence.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface VerifyHandlerDeps {
  library: Library;
  jobs: JobRegistry;
  actor: string;
  caseChanged(caseId: string): void;
}

export function verifyHandlers({ library, jobs, actor, caseChanged }: VerifyHandlerDeps): Pick<ApiHandlers, 'startVerify'> {
  return {
    startVerify: async ({ caseId }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      return jobs.start<Extract<JobStatus, { kind: 'verify' }>>(
        { kind: 'verify', caseId, total: 0, done: 0, current: null, counts: { verified: 0, mismatched: 0, missing: 0 } },
        async (ctx) => {
          try {
            return await verifyEvidence(handle, {
              actor,
              signal: ctx.signal,
              onProgress: (p) => ctx.update({ total: p.total, done: p.done, current: p.current, counts: { ...p.counts } }),
            });
          } finally {
            caseChanged(caseId);
          }
        },
      );
    },
  };
}
