// The engine behind the API contract: one object that the Electron shell, the browser host and
// the tests all drive the same way.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, EngineEvent, JobStatus } from './api/contract.ts';
import type { Engine, EngineOptions } from './api/engine-types.ts';
import { ApiError } from './api/errors.ts';
import { listAudit, verifyAuditChain } from './audit/audit-log.ts';
import { countEvidence, getEvidenceDetail, listEvidencePage, listFindings, readCaseSummary } from './cases/case-database.ts';
import { Library } from './cases/library.ts';
import { importEvidence } from './evidence/intake.ts';
import { PIXEL_LIMIT } from './evidence/probe.ts';
import { verifyEvidence } from './integrity/verify-evidence.ts';
import { JobRegistry } from './jobs/job-registry.ts';
import { defaultActor } from './paths.ts';
import { APP_VERSION } from './version.ts';

export function createEngine(options: EngineOptions): Engine {
  // Absolute from here on: the staging-folder check compares resolved paths.
  const home = path.resolve(options.home);
  const library = new Library(home);
  const actor = options.actor ?? defaultActor();
  const events = new EventEmitter();
  const emit = (event: EngineEvent): void => void events.emit('event', event);
  const jobs = new JobRegistry((job) => emit({ type: 'job', job }));
  const stagingDir = path.join(home, 'staging');

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
      return { total: countEvidence(db), offset, items: listEvidencePage(db, offset, limit) };
    },
    getEvidence: async ({ caseId, itemId }) => {
      const detail = getEvidenceDetail(library.openCase(caseId).db, itemId);
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
    cancelJob: async ({ jobId }) => jobs.cancel(jobId),
    listJobs: async () => jobs.list(),
    listFindings: async ({ caseId }) => listFindings(library.openCase(caseId).db),
    listAudit: async ({ caseId, offset, limit }) => listAudit(library.openCase(caseId).db, offset, limit),
    verifyAudit: async ({ caseId }) => verifyAuditChain(library.openCase(caseId).db),
    chooseImportPaths: async ({ mode }) => {
      if (!options.chooseImportPaths) throw new ApiError('unsupported', 'file dialogs exist only in the desktop app: type or drop paths instead');
      return options.chooseImportPaths(mode);
    },
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
      events.removeAllListeners();
      library.close();
    },
  };
}
