// The C_T curve API methods: computing a case's curve (a job: the items are embedded by the
// layered encoder from their verified stored copies, then measured against the reference set) and
// reading it back with the gallery's curves and the ranked matches (docs/methods.md §2).
import { randomUUID } from 'node:crypto';
import type { ApiHandlers, CaseCurves, CurveJob } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { withCaseLock } from '../cases/case-lock.ts';
import type { Library } from '../cases/library.ts';
import { selectItems } from '../fingerprint/fingerprint-job.ts';
import { withLibraryGallery } from '../gallery/default-gallery.ts';
import { galleryCurves } from '../gallery/gallery-curves.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { utcNow } from '../base/time.ts';
import { latestCurve, recordCurve } from './case-curves.ts';
import { rankCurveMatches } from './ct-curve.ts';
import type { CurveService } from './curve-service.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface CurveHandlerDeps {
  home: string;
  library: Library;
  jobs: JobRegistry;
  actor: string;
  curves: CurveService;
  /** The installed extractor's sha256 (for seeding a new gallery), or null. */
  extractorSha256: () => string | null;
  caseChanged: (caseId: string) => void;
}

export function curveHandlers(deps: CurveHandlerDeps): Pick<ApiHandlers, 'startCurve' | 'getCurves'> {
  const { library, jobs, actor, curves } = deps;
  return {
    startCurve: async ({ caseId, itemIds }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      // Refused now rather than as a failed job: unknown items, none analysable, no encoder or reference set.
      const items = selectItems(handle, itemIds);
      const analysable = items.filter((item) => item.status === 'analysable');
      if (analysable.length === 0) throw new ApiError('invalid_input', 'none of the selected items is analysable: no C_T curve to compute');
      curves.resources();
      return jobs.start<CurveJob>(
        {
          kind: 'curve',
          caseId,
          phase: 'embed',
          total: analysable.length,
          done: 0,
          current: null,
          counts: { embedded: 0, skipped: items.length - analysable.length, failed: 0 },
          failures: [],
          curveId: null,
        },
        (ctx) =>
          withCaseLock(handle.dir, async () => {
            const files = analysable.map((item) => ({ path: handle.store.evidencePath(item.sha256), sha256: item.sha256, label: `item ${item.id} (${item.original_name})` }));
            const computed = await curves.curveOf(files, {
              signal: ctx.signal,
              onProgress: (done) => ctx.update({ done, current: analysable[done - 1]?.original_name ?? null }),
              onMeasure: () => ctx.update({ phase: 'measure', current: null }),
            });
            const failures = computed.failures.map((f) => ({ itemId: analysable[f.index]!.id, message: f.message }));
            ctx.update({ counts: { embedded: computed.curve.itemCount, skipped: items.length - analysable.length, failed: failures.length }, failures });
            if (computed.cancelled) return { cancelled: true };
            const id = randomUUID();
            const { encoder, reference } = computed.resources;
            recordCurve(handle.db, {
              id,
              actor,
              itemIds: analysable.filter((_, i) => computed.embeddings[i] !== null).map((item) => item.id),
              encoder: { name: encoder.name, sha256: encoder.sha256 },
              referenceSha256: reference.binSha256,
              record: { ...computed.curve, computedUtc: utcNow() },
            });
            ctx.update({ curveId: id });
            deps.caseChanged(caseId);
            return { cancelled: false };
          }),
      );
    },

    getCurves: async ({ caseId }) => {
      const { encoder, reference } = curves.resources();
      const stored = latestCurve(library.openCase(caseId).db, encoder.sha256, reference.binSha256);
      const gallery = await withLibraryGallery(deps.home, { actor, currentExtractorSha256: deps.extractorSha256() }, async (db) => galleryCurves(db, encoder.sha256, reference.binSha256));
      const result: CaseCurves = {
        encoder: { name: encoder.name, sha256: encoder.sha256, layers: reference.layers },
        reference: { sha256: reference.binSha256, tCount: reference.tCount, pCount: reference.pCount, description: reference.description },
        case: stored?.record ?? null,
        gallery: gallery.map(({ model, family, imageCount, values }) => ({ model, family, imageCount, values })),
        matches: stored ? rankCurveMatches(stored.record.values, gallery) : [],
      };
      return result;
    },
  };
}
