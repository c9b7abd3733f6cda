// The API handlers of the spectral fingerprint: the installed extractor, the fingerprint job, and
// spectra of items (cached: the item view asks for the same ones again).
import type { ApiHandlers, JobStatus, SpectrumSet } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { LruCache } from '../base/lru-cache.ts';
import type { Library } from '../cases/library.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { fingerprintEvidence, selectItems } from './fingerprint-job.ts';
import type { FingerprintService } from './fingerprint-service.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface FingerprintHandlerDeps {
  library: Library;
  jobs: JobRegistry;
  actor: string;
  fingerprints: FingerprintService;
  caseChanged(caseId: string): void;
  /** caseChanged, at most about once a second: the grid follows a fingerprint job along. */
  caseChangedSoon(caseId: string): void;
}

type FingerprintMethods = 'getModelInfo' | 'startFingerprint' | 'getSpectra';

export function fingerprintHandlers({ library, jobs, actor, fingerprints, caseChanged, caseChangedSoon }: FingerprintHandlerDeps): Pick<ApiHandlers, FingerprintMethods> {
  const spectraCache = new LruCache<string, SpectrumSet>(32);
  return {
    getModelInfo: async () => fingerprints.modelInfo(),
    startFingerprint: async ({ caseId, itemIds }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      // Refused now rather than as a failed job: unknown items, or no usable model.
      const total = selectItems(handle, itemIds).length;
      fingerprints.model();
      return jobs.start<Extract<JobStatus, { kind: 'fingerprint' }>>(
        { kind: 'fingerprint', caseId, total, done: 0, current: null, counts: { computed: 0, reused: 0, skipped: 0, failed: 0 }, provider: null, failures: [] },
        async (ctx) => {
          try {
            return await fingerprintEvidence(handle, fingerprints, {
              actor,
              itemIds,
              signal: ctx.signal,
              onProgress: (p) => {
                ctx.update({ total: p.total, done: p.done, current: p.current, counts: { ...p.counts }, provider: p.provider, failures: [...p.failures] });
                caseChangedSoon(caseId);
              },
            });
          } finally {
            caseChanged(caseId);
          }
        },
      );
    },
    getSpectra: async ({ caseId, itemIds }) => {
      const handle = library.openCase(caseId);
      const items = selectItems(handle, itemIds);
      const unusable = items.filter((item) => item.status !== 'analysable');
      if (unusable.length > 0) {
        throw new ApiError('invalid_input', `not analysable, so no spectrum: ${unusable.map((item) => `item ${item.id} (${item.original_name})`).join(', ')}`);
      }
      const { model, worker, facts } = await fingerprints.ready();
      const key = `${model.sha256}:${items.map((item) => item.sha256).join(',')}`;
      const cached = spectraCache.get(key);
      if (cached) return cached;
      const files = items.map((item) => ({ path: handle.store.evidencePath(item.sha256), sha256: item.sha256, label: `item ${item.id} (${item.original_name})` }));
      const spectra = await worker.spectra(files).catch((error: Error) => {
        throw new ApiError('invalid_input', error.message);
      });
      const set: SpectrumSet = { itemIds: items.map((item) => item.id), modelSha256: model.sha256, provider: facts.provider, ...spectra };
      spectraCache.set(key, set);
      return set;
    },
  };
}
