// The engine behind the API contract: one object that the Electron shell, the browser host and
// the tests all drive the same way.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { ApiHandlers, EngineEvent } from './api/contract.ts';
import type { Engine, EngineOptions } from './api/engine-types.ts';
import { ApiError } from './api/errors.ts';
import { attributionHandlers } from './attribution/attribution-handlers.ts';
import { caseHandlers } from './cases/case-handlers.ts';
import { curveHandlers } from './ct-curve/curve-handlers.ts';
import { CurveService } from './ct-curve/curve-service.ts';
import { enrolmentCurveHook } from './ct-curve/model-curve.ts';
import { Library } from './cases/library.ts';
import { importHandlers } from './evidence/import-handlers.ts';
import { PIXEL_LIMIT } from './base/pixel-limit.ts';
import { exportHandlers } from './export/export-handlers.ts';
import { fingerprintHandlers } from './fingerprint/fingerprint-handlers.ts';
import { FingerprintService } from './fingerprint/fingerprint-service.ts';
import { galleryHandlers } from './gallery/gallery-handlers.ts';
import { hashSetHandlers } from './hash-sets/hash-set-handlers.ts';
import { listHashSets, openHashSetDatabase } from './hash-sets/hash-set-store.ts';
import { matchItems } from './hash-sets/match-items.ts';
import { verifyHandlers } from './integrity/verify-handlers.ts';
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
  const caseChanged = (caseId: string): void => emit({ type: 'case-changed', caseId });
  const jobs = new JobRegistry((job) => emit({ type: 'job', job }));
  const stagingDir = path.join(home, 'staging');
  const hashSetDb = openHashSetDatabase(home);
  const hashSets = (items: Parameters<typeof matchItems>[1]) => matchItems(hashSetDb, items);
  // The extractor's worker starts on the first fingerprint call, not with the engine.
  const fingerprints = new FingerprintService({ modelsDir: options.modelsDir });
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
    caseChanged,
  });

  // The grid refreshes on case-changed; during an import it follows along about once a second.
  const CASE_REFRESH_MS = 1000;
  const lastCaseRefresh = new Map<string, number>();
  function caseChangedSoon(caseId: string): void {
    const now = Date.now();
    if (now - (lastCaseRefresh.get(caseId) ?? 0) < CASE_REFRESH_MS) return;
    lastCaseRefresh.set(caseId, now);
    caseChanged(caseId);
  }

  const handlers: ApiHandlers = {
    getAppInfo: async () => ({
      version: APP_VERSION,
      host: options.host,
      nativeDialogs: options.chooseImportPaths !== undefined,
      libraryPath: library.home,
      pixelLimit: PIXEL_LIMIT,
    }),
    ...caseHandlers({ library, actor, currentModelSha: () => fingerprints.currentModelSha(), hashSets }),
    ...hashSetHandlers({ db: hashSetDb, actor }),
    ...importHandlers({ library, jobs, actor, stagingDir, caseChanged, caseChangedSoon }),
    ...verifyHandlers({ library, jobs, actor, caseChanged }),
    ...exportHandlers({ library, actor }),
    ...fingerprintHandlers({ library, jobs, actor, fingerprints, caseChanged, caseChangedSoon }),
    cancelJob: async ({ jobId }) => jobs.cancel(jobId),
    listJobs: async () => jobs.list(),
    chooseImportPaths: async ({ mode }) => {
      if (!options.chooseImportPaths) throw new ApiError('unsupported', 'file dialogs exist only in the desktop app: type or drop paths instead');
      return options.chooseImportPaths(mode);
    },
    ...galleryHandlers({ home, jobs, actor, fingerprints, curveKey: () => curves.currentKey(), curveHook: enrolmentCurveHook(curves) }),
    ...attribution.handlers,
    ...curveHandlers({ home, library, jobs, actor, curves, extractorSha256: () => fingerprints.currentModelSha(), caseChanged }),
    ...provenanceHandlers({ library, jobs, actor, caseChanged }),
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
      gallerySnapshot: async () => (await handlers.listGallery({})).snapshotSha256,
      hashSets: { list: () => listHashSets(hashSetDb), lookup: hashSets },
      caseChanged,
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
      hashSetDb.close();
    },
  };
}
