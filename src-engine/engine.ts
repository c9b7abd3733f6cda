// The engine behind the API contract: one object that the Electron shell, the browser host and
// the tests all drive the same way.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, EngineEvent, JobStatus, SpectrumSet } from './api/contract.ts';
import type { Engine, EngineOptions } from './api/engine-types.ts';
import { ApiError } from './api/errors.ts';
import { attributionHandlers } from './attribution/attribution-handlers.ts';
import { curveHandlers } from './ct-curve/curve-handlers.ts';
import { CurveService } from './ct-curve/curve-service.ts';
import { enrolmentCurveHook } from './ct-curve/model-curve.ts';
import { listAudit, verifyAuditChain } from './audit/audit-log.ts';
import { countEvidence, getEvidenceDetail, listEvidencePage, listFindings, readCaseSummary } from './cases/case-database.ts';
import { Library } from './cases/library.ts';
import { importEvidence } from './evidence/intake.ts';
import { PIXEL_LIMIT } from './base/pixel-limit.ts';
import { fingerprintEvidence, selectItems } from './fingerprint/fingerprint-job.ts';
import { FingerprintService } from './fingerprint/fingerprint-service.ts';
import { LruCache } from './base/lru-cache.ts';
import { galleryHandlers } from './gallery/gallery-handlers.ts';
import { verifyEvidence } from './integrity/verify-evidence.ts';
import { JobRegistry } from './jobs/job-registry.ts';
import { locateModelsDir } from './models/model-registry.ts';
import { defaultActor } from './base/paths.ts';
import { closeMetadataReader } from './provenance/analyse.ts';
import { createChromiumPdfRenderer } from './report/pdf/chromium-pdf.ts';
import { provenanceHandlers } from './provenance/provenance-handlers.ts';
import { reportHandlers } from './report/report-handlers.ts';
import { APP_VERSION } from './base/version.ts';

export function createEngine(options: EngineOptions): Engine {
  // Absolute from here on: the staging-folder check compares resolved paths.
  const home = path.resolve(options.home);
  const library = new Library(home);
  const actor = options.actor ?? defaultActor();
  const events = new EventEmitter();
  const emit = (event: EngineEvent): void => void events.emit('event', event);
  const jobs = new JobRegistry((job) => emit({ type: 'job', job }));
  const stagingDir = path.join(home, 'staging');
  // The extractor's worker starts on the first fingerprint call, not with the engine.
  const fingerprints = new FingerprintService({ modelsDir: options.modelsDir });
  const spectraCache = new LruCache<string, SpectrumSet>(32);
  // Reports print with the shell's renderer (Electron) or a local Chromium, started on first use.
  const chromiumPdf = options.renderPdf ? null : createChromiumPdfRenderer();
  // The layered encoder and C_T reference set start on the first curve, not with the engine.
  const curves = new CurveService({ modelsDir: options.modelsDir });
  const attribution = attributionHandlers({
    home,
    library,
    jobs,
    actor,
    fingerprints,
    modelsDir: options.modelsDir ?? locateModelsDir(),
    caseChanged: (caseId) => emit({ type: 'case-changed', caseId }),
  });

  // The grid refreshes on case-changed; during an import it follows along about once a second.
  const CASE_REFRESH_MS = 1000;
  const lastCaseRefresh = new Map<string, number>();
  function caseChangedSoon(caseId: string): void {
    const now = Date.now();
    if (now - (lastCaseRefresh.get(caseId) ?? 0) < CASE_REFRESH_MS) return;
    lastCaseRefresh.set(caseId, now);
    emit({ type: 'case-changed', caseId });
  }

  function uploadedFile(p: string): string {
    const resolved = path.resolve(p);
    if (!resolved.startsWith(stagingDir + path.sep)) {
      throw new ApiError('invalid_input', `uploaded files must come from the staging folder: ${p}`);
    }
    return resolved;
  }

  const handlers: ApiHandlers = {
    getAppInfo: async () => ({
      version: APP_VERSION,
      host: options.host,
      nativeDialogs: options.chooseImportPaths !== undefined,
      libraryPath: library.home,
      pixelLimit: PIXEL_LIMIT,
    }),
    listCases: async () => library.listCases(),
    createCase: async (input) => library.createCase(input, actor),
    getCase: async ({ caseId }) => readCaseSummary(library.openCase(caseId).db),
    listEvidence: async ({ caseId, offset, limit }) => {
      const { db } = library.openCase(caseId);
      return { total: countEvidence(db), offset, items: listEvidencePage(db, offset, limit, fingerprints.currentModelSha()) };
    },
    getEvidence: async ({ caseId, itemId }) => {
      const detail = getEvidenceDetail(library.openCase(caseId).db, itemId, fingerprints.currentModelSha());
      if (!detail) throw new ApiError('not_found', `no evidence item ${itemId} in this case`);
      return detail;
    },
    getThumbnail: async ({ caseId, sha256 }) => {
      const file = library.openCase(caseId).store.thumbnailPath(sha256);
      try {
        return new Uint8Array(await fs.promises.readFile(file));
      } catch {
        throw new ApiError('not_found', `no thumbnail for ${sha256}`);
      }
    },
    startImport: async ({ caseId, paths, via }) => {
      const handle = library.openCase(caseId);
      const selection = via === 'upload' ? paths.map(uploadedFile) : paths;
      return jobs.start<Extract<JobStatus, { kind: 'import' }>>(
        {
          kind: 'import',
          caseId,
          total: 0,
          done: 0,
          current: null,
          counts: { imported: 0, notAnalysable: 0, duplicates: 0, alreadyInCase: 0, failed: 0 },
          failures: [],
        },
        async (ctx) => {
          try {
            return await importEvidence(handle, selection, {
              actor,
              signal: ctx.signal,
              recordedPathOf: via === 'upload' ? (file) => `browser upload: ${path.basename(file)}` : undefined,
              onProgress: (p) => {
                ctx.update({ total: p.total, done: p.done, current: p.current, counts: { ...p.counts }, failures: [...p.failures] });
                caseChangedSoon(caseId);
              },
            });
          } finally {
            if (via === 'upload') for (const file of selection) fs.rmSync(path.dirname(file), { recursive: true, force: true });
            emit({ type: 'case-changed', caseId });
          }
        },
      );
    },
    startVerify: async ({ caseId }) => {
      const handle = library.openCase(caseId);
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
            emit({ type: 'case-changed', caseId });
          }
        },
      );
    },
    getModelInfo: async () => fingerprints.modelInfo(),
    startFingerprint: async ({ caseId, itemIds }) => {
      const handle = library.openCase(caseId);
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
            emit({ type: 'case-changed', caseId });
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
    cancelJob: async ({ jobId }) => jobs.cancel(jobId),
    listJobs: async () => jobs.list(),
    listFindings: async ({ caseId }) => listFindings(library.openCase(caseId).db),
    listAudit: async ({ caseId, offset, limit }) => listAudit(library.openCase(caseId).db, offset, limit),
    verifyAudit: async ({ caseId }) => verifyAuditChain(library.openCase(caseId).db),
    chooseImportPaths: async ({ mode }) => {
      if (!options.chooseImportPaths) throw new ApiError('unsupported', 'file dialogs exist only in the desktop app: type or drop paths instead');
      return options.chooseImportPaths(mode);
    },
    ...galleryHandlers({ home, jobs, actor, fingerprints, curveKey: () => curves.currentKey(), curveHook: enrolmentCurveHook(curves) }),
    ...attribution.handlers,
    ...curveHandlers({ home, library, jobs, actor, curves, extractorSha256: () => fingerprints.currentModelSha(), caseChanged: (caseId) => emit({ type: 'case-changed', caseId }) }),
    ...provenanceHandlers({ library, jobs, actor, caseChanged: (caseId) => emit({ type: 'case-changed', caseId }) }),
    ...reportHandlers({
      library,
      jobs,
      actor,
      renderPdf: options.renderPdf ?? chromiumPdf!.renderPdf,
      modelsDir: options.modelsDir ?? locateModelsDir(),
      modelInfo: () => handlers.getModelInfo({}),
      spectra: (caseId, itemId) => handlers.getSpectra({ caseId, itemIds: [itemId] }),
      curves: (caseId) => handlers.getCurves({ caseId }),
      calibration: () => handlers.getCalibration({}),
      caseChanged: (caseId) => emit({ type: 'case-changed', caseId }),
    }),
  };

  return {
    handlers,
    stagingDir,
    subscribe(listener) {
      events.on('event', listener);
      return () => void events.off('event', listener);
    },
    async close() {
      await jobs.cancelAll();
      await fingerprints.close();
      await attribution.close();
      await curves.close();
      await closeMetadataReader();
      await chromiumPdf?.close();
      events.removeAllListeners();
      library.close();
    },
  };
}
