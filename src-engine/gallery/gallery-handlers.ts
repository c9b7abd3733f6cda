// The gallery browser's API methods: the library's gallery (<home>/gallery.sqlite, seeded from the
// bundled pack on first use) listed, clustered into families, enrolled into (a job with progress
// and cancel; the model's C_T curve is computed from the same images when the layered encoder and
// its reference set are installed), pruned (a model, one reference image) and its history listed,
// with the last change undone on request. Each call opens the gallery and closes it again: the CLI and other
// engine jobs use the same file, and SQLite (WAL) keeps them consistent.
import type { ApiHandlers, GalleryEnrolJob } from '../api/contract.ts';
import type { Db } from '../db/open-database.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { withLibraryGallery } from './default-gallery.ts';
import { assertEnrolTarget } from './enrol-target.ts';
import { enrolModel, type EnrolCurveHook } from './enrol.ts';
import { galleryFamilies, galleryOverview } from './gallery-browser.ts';
import { referenceImages, requireModel } from './gallery-store.ts';
import { undoLastChange } from './gallery-undo.ts';
import { galleryHistory } from './history-view.ts';
import { removeModel, removeReference } from './remove-model.ts';

export interface GalleryHandlerDeps {
  home: string;
  jobs: JobRegistry;
  actor: string;
  fingerprints: FingerprintService;
  /** The key the installed C_T method stores curves under (null when none is installed). */
  curveKey: () => { encoderSha256: string; referenceSha256: string } | null;
  /** Computes a model's C_T curve from its enrolment images. */
  curveHook: EnrolCurveHook;
}

type GalleryMethods =
  | 'listGallery'
  | 'getGalleryFamilies'
  | 'startGalleryEnrol'
  | 'removeGalleryModel'
  | 'removeGalleryReference'
  | 'listGalleryReferences'
  | 'getGalleryHistory'
  | 'undoGalleryChange';

export function galleryHandlers({ home, jobs, actor, fingerprints, curveKey, curveHook }: GalleryHandlerDeps): Pick<ApiHandlers, GalleryMethods> {
  const withGallery = <T>(work: (db: Db) => T | Promise<T>): Promise<T> =>
    withLibraryGallery(home, { actor, currentExtractorSha256: fingerprints.currentModelSha() }, async (db) => work(db));
  /** The installed extractor; throws (not_found) when there is none. */
  const extractor = (): { name: string; sha256: string } => {
    const { name, sha256 } = fingerprints.model();
    return { name, sha256 };
  };
  const overview = (db: Db) => galleryOverview(db, extractor(), curveKey());

  return {
    listGallery: async () => withGallery(overview),
    getGalleryFamilies: async () => withGallery((db) => galleryFamilies(db, extractor().sha256)),
    removeGalleryModel: async ({ name }) =>
      withGallery((db) => {
        removeModel(db, name, actor);
        return overview(db);
      }),
    removeGalleryReference: async ({ name, sha256 }) =>
      withGallery((db) => {
        removeReference(db, name, sha256, actor);
        return overview(db);
      }),
    listGalleryReferences: async ({ name }) => withGallery((db) => referenceImages(db, requireModel(db, name).id)),
    getGalleryHistory: async () => withGallery(galleryHistory),
    undoGalleryChange: async ({ seq }) =>
      withGallery((db) => {
        undoLastChange(db, seq, actor);
        return galleryHistory(db);
      }),
    startGalleryEnrol: async ({ name, parent, paths, addToExisting, ...metadata }) => {
      // Refused now rather than as a failed job: no usable extractor, an unknown parent, or an
      // existing model the request did not say to add to.
      extractor();
      await withGallery((db) => {
        assertEnrolTarget(db, name, addToExisting, 'confirm "Add to this model"');
        if (parent !== undefined) requireModel(db, parent);
      });
      return jobs.start<GalleryEnrolJob>(
        { kind: 'gallery-enrol', caseId: null, model: name, created: null, total: 0, done: 0, current: null, counts: { embedded: 0, alreadyEnrolled: 0, failed: 0 }, failures: [], imageCount: null, curve: null },
        (ctx) =>
          withGallery(async (db) => {
            const outcome = await enrolModel(
              db,
              fingerprints,
              { name, metadata, parent, paths },
              {
                actor,
                signal: ctx.signal,
                onProgress: (done, total) => ctx.update({ done, total }),
                curve: (files, signal) => {
                  ctx.update({ current: `C_T curve of ${files.length} images` });
                  return curveHook(files, signal);
                },
              },
            );
            ctx.update({
              created: outcome.created,
              counts: { embedded: outcome.embedded, alreadyEnrolled: outcome.alreadyEnrolled, failed: outcome.failures.length },
              failures: outcome.failures,
              imageCount: outcome.cancelled ? null : outcome.imageCount,
              curve: outcome.curve ?? null,
            });
            if (!outcome.cancelled && outcome.imageCount === 0) throw new Error(`nothing was enrolled into "${name}": none of the ${outcome.files} files could be fingerprinted`);
            return outcome;
          }),
      );
    },
  };
}
