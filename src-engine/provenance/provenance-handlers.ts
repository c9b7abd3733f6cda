// The API handlers of provenance analysis, kept out of engine.ts, which spreads them into its
// handler table. Analysing items runs as a job with progress.
import type { ApiHandlers, JobStatus } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import type { Library } from '../cases/library.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { analyseItems, itemProvenance, itemsToAnalyse } from './analyse-items.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface ProvenanceDeps {
  library: Library;
  jobs: JobRegistry;
  actor: string;
  caseChanged(caseId: string): void;
}

type ProvenanceMethods = 'startProvenance' | 'getProvenance';

export function provenanceHandlers(deps: ProvenanceDeps): Pick<ApiHandlers, ProvenanceMethods> {
  const { library, jobs, actor } = deps;
  return {
    startProvenance: async ({ caseId, itemIds }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      const items = itemsToAnalyse(handle.db, itemIds);
      return jobs.start<Extract<JobStatus, { kind: 'provenance' }>>(
        { kind: 'provenance', caseId, total: items.length, done: 0, current: null, counts: { analysed: 0, failed: 0 }, failures: [] },
        async (ctx) => {
          try {
            return await analyseItems(handle, items, {
              actor,
              signal: ctx.signal,
              onProgress: (p) => ctx.update({ total: p.total, done: p.done, current: p.current, counts: { ...p.counts }, failures: [...p.failures] }),
            });
          } finally {
            deps.caseChanged(caseId);
          }
        },
      );
    },
    getProvenance: async ({ caseId, itemId }) => {
      const { db } = library.openCase(caseId);
      // An unknown item is an error; a known one without analysis is null.
      const exists = db.prepare('SELECT 1 FROM evidence_items WHERE id = ?').get(itemId);
      if (!exists) throw new ApiError('not_found', `no evidence item ${itemId} in this case`);
      return itemProvenance(db, itemId);
    },
  };
}
