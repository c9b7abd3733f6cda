// The API handlers of evidence reports, kept out of engine.ts, which spreads them into its
// handler table. Making a report runs as a job with progress.
import type { ApiHandlers, CalibrationInfo, CaseCurves, HashSetSummary, JobStatus, ModelInfo, SpectrumSet } from '../api/contract.ts';
import type { HashSetLookup } from '../cases/case-database.ts';
import type { Library } from '../cases/library.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import type { Available } from './gather-attribution.ts';
import { makeReport, previewReport, type ReportInputs } from './make-report.ts';
import { readModelCards } from './model-cards.ts';
import type { RenderPdf } from './pdf/render-pdf.ts';
import { listReports, readReportFile } from './report-store.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface ReportDeps {
  library: Library;
  jobs: JobRegistry;
  actor: string;
  renderPdf: RenderPdf;
  modelsDir: string | null;
  /** The fingerprint side of the engine; either may throw when no model is installed. */
  modelInfo(): Promise<ModelInfo>;
  spectra(caseId: string, itemId: number): Promise<SpectrumSet>;
  /** The attribution side (getCalibration, getCurves); each throws, saying why, when there is nothing to give. */
  calibration(): Promise<CalibrationInfo>;
  /** The gallery snapshot an attribution now would be made against (GalleryOverview.snapshotSha256). */
  gallerySnapshot(): Promise<string>;
  curves(caseId: string): Promise<CaseCurves>;
  /** The library's hash sets: every exhibit is looked up in all of them. */
  hashSets: { list(): HashSetSummary[]; lookup: HashSetLookup };
  caseChanged(caseId: string): void;
}

/** A source's value, or why there is none as a clause (the report adds its own full stop): a failing source is reported, never fatal. */
async function settled<T extends object>(source: () => Promise<T>): Promise<Available<T>> {
  try {
    return await source();
  } catch (error) {
    return { unavailable: (error as Error).message.replace(/\.$/, '') };
  }
}

type ReportMethods = 'startReport' | 'listReports' | 'previewReport' | 'getReportFile';

export function reportHandlers(deps: ReportDeps): Pick<ApiHandlers, ReportMethods> {
  const { library, jobs, actor } = deps;

  /** Model, cards, spectra, calibration and curves as the report sees them; what is missing is reported with the reason. */
  async function reportInputs(caseId: string): Promise<ReportInputs> {
    const info = await deps.modelInfo().catch(() => null);
    return {
      extractor: info && { name: info.name, sha256: info.sha256, embeddingDim: info.embeddingDim, provider: info.provider },
      modelCards: readModelCards(deps.modelsDir),
      spectrum: async (itemId) => {
        const set = await deps.spectra(caseId, itemId).catch(() => null);
        return set && { crops: set.crops, spectrum2d: set.spectrum2d, radial: set.radial };
      },
      calibration: await settled(() => deps.calibration()),
      gallery: await settled(async () => ({ snapshotSha256: await deps.gallerySnapshot() })),
      curves: await settled(() => deps.curves(caseId)),
      hashSets: { sets: deps.hashSets.list(), lookup: deps.hashSets.lookup },
    };
  }

  return {
    startReport: async ({ caseId, itemIds, allItems, sections }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      return jobs.start<Extract<JobStatus, { kind: 'report' }>>(
        { kind: 'report', caseId, total: 1, done: 0, current: 'starting', report: null },
        async (ctx) => {
          try {
            const report = await makeReport(
              handle,
              { itemIds, allItems, sections },
              {
                actor,
                renderPdf: deps.renderPdf,
                inputs: await reportInputs(caseId),
                signal: ctx.signal,
                onProgress: (stage, done, total) => ctx.update({ current: stage, done, total }),
              },
            );
            ctx.update({ report });
            return { cancelled: report === null };
          } finally {
            deps.caseChanged(caseId);
          }
        },
      );
    },
    listReports: async ({ caseId }) => listReports(library.openCase(caseId).db),
    previewReport: async ({ caseId, itemIds, allItems, sections }) => previewReport(library.openCase(caseId), { itemIds, allItems, sections }, await reportInputs(caseId)),
    getReportFile: async ({ caseId, reportId, kind }) => readReportFile(library.openCase(caseId), reportId, kind),
  };
}
