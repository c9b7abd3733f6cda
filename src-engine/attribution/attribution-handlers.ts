// The attribution API methods: the installed calibration, attribution runs (a job), their
// recorded results, and 1:1 verification of two sets. The calibration is read and proved on every
// call (a replaced file is noticed); the set encoder's session is opened once and kept.
import type { ApiHandlers, JobStatus } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { loadCalibrationSet, locateCalibration, type UsableCalibration } from '../calibration/calibration-set.ts';
import type { Library } from '../cases/library.ts';
import type { Db } from '../db/open-database.ts';
import { selectItems } from '../fingerprint/fingerprint-job.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { withLibraryGallery } from '../gallery/default-gallery.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { SetEncoder, setEncoderPath } from '../set-fingerprint/set-encoder.ts';
import { galleryFingerprintProblems } from '../gallery/gallery-records.ts';
import { refuseTampered } from './tamper-refusal.ts';
import { loadAttributionGallery } from '../gallery/attribution-gallery.ts';
import { runAttribution } from './attribution-job.ts';
import { listAttributions } from './attribution-store.ts';
import { verifySets } from './verify-sets.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface AttributionHandlerDeps {
  home: string;
  library: Library;
  jobs: JobRegistry;
  actor: string;
  fingerprints: FingerprintService;
  modelsDir: string | null;
  caseChanged: (caseId: string) => void;
}

type AttributionMethods = 'getCalibration' | 'startAttribution' | 'listAttributions' | 'verifySets';

export interface AttributionHandlers {
  handlers: Pick<ApiHandlers, AttributionMethods>;
  close(): Promise<void>;
}

interface Resources {
  calibration: UsableCalibration;
  setEncoder: SetEncoder | null;
}

export function attributionHandlers(deps: AttributionHandlerDeps): AttributionHandlers {
  const { home, library, jobs, actor, fingerprints } = deps;
  let encoder: Promise<{ encoder: SetEncoder | null; problem: string | null }> | undefined;
  const openEncoder = () =>
    (encoder ??=
      setEncoderPath(deps.modelsDir) === null
        ? Promise.resolve({ encoder: null, problem: null })
        : SetEncoder.open(deps.modelsDir).then(
            (opened) => ({ encoder: opened, problem: null }),
            (error: Error) => ({ encoder: null, problem: `the set encoder cannot be used: ${error.message}` }),
          ));

  /** The calibration for the installed extractor, proved usable; throws an ApiError saying why not. */
  async function resources(): Promise<Resources> {
    const extractor = fingerprints.model();
    const file = locateCalibration(extractor.name);
    if (file === null) throw new ApiError('not_found', `no calibration for ${extractor.name} is installed (resources/calibration/${extractor.name}.calibration.json): build it with \`modelprint calibrate\``);
    const { encoder: setEncoder, problem } = await openEncoder();
    const calibration = loadCalibrationSet(file, { extractorSha256: extractor.sha256, setEncoderSha256: setEncoder?.info.sha256 ?? null });
    return { calibration: problem ? { ...calibration, deepsets: { usable: false, reason: problem } } : calibration, setEncoder };
  }

  const withGallery = <T>(work: (db: Db) => Promise<T>): Promise<T> => withLibraryGallery(home, { actor, currentExtractorSha256: fingerprints.currentModelSha() }, work);

  const handlers: Pick<ApiHandlers, AttributionMethods> = {
    getCalibration: async () => {
      const { calibration } = await resources();
      const { deepsets } = calibration;
      return { ...calibration.set, file: calibration.file, fileSha256: calibration.fileSha256, deepsets: { usable: deepsets.usable, reason: deepsets.usable ? null : deepsets.reason } };
    },
    startAttribution: async ({ caseId, itemIds, mode, top }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      // Refused now rather than as a failed job: unknown items, no extractor, calibration or gallery.
      const total = selectItems(handle, itemIds).length;
      const { calibration, setEncoder } = await resources();
      const extractorSha256 = fingerprints.model().sha256;
      await withGallery(async (db) => loadAttributionGallery(db, extractorSha256));
      return jobs.start<Extract<JobStatus, { kind: 'attribution' }>>(
        { kind: 'attribution', caseId, mode, phase: 'fingerprint', total, done: 0, current: null, attributionId: null, failures: [] },
        async (ctx) => {
          try {
            const outcome = await runAttribution(handle, {
              actor,
              mode,
              itemIds,
              top,
              service: fingerprints,
              calibration,
              setEncoder,
              withGallery,
              signal: ctx.signal,
              onProgress: (p) => ctx.update({ phase: p.phase, total: p.total, done: p.done, current: p.current, failures: p.failures }),
            });
            ctx.update({ attributionId: outcome.record?.id ?? null });
            return outcome;
          } finally {
            deps.caseChanged(caseId);
          }
        },
      );
    },
    listAttributions: async ({ caseId }) => listAttributions(library.openCase(caseId).db),
    verifySets: async ({ caseId, a, b }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'changes');
      const { calibration, setEncoder } = await resources();
      const extractorSha256 = fingerprints.model().sha256;
      // The gallery's models are the cohort the comparison's score is normalised against.
      const cohort = await withGallery(async (db) => {
        refuseTampered(handle, actor, galleryFingerprintProblems(db, extractorSha256), 'set comparison');
        return loadAttributionGallery(db, extractorSha256).matrix;
      });
      return verifySets(handle, { a, b, actor, extractorSha256, calibration, setEncoder, cohort });
    },
  };

  return {
    handlers,
    async close() {
      const opened = await encoder;
      await opened?.encoder?.close();
    },
  };
}
