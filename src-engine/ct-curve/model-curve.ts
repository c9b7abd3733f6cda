// A known model's C_T curve from its reference images, for the gallery: computed at enrolment
// (the hook below, passed to enrolModel) and by the default-pack build. A curve needs at least
// MINIMUM_CURVE_IMAGES images that embed; with fewer the model simply has no curve.
import type { EnrolCurveHook } from '../gallery/enrol.ts';
import type { ModelCurve } from '../gallery/gallery-curves.ts';
import { MINIMUM_CURVE_IMAGES } from './curve-record.ts';
import type { CurveService } from './curve-service.ts';

export interface ModelCurveOutcome {
  curve: ModelCurve | null;
  /** Why there is no curve (too few images, no encoder installed, cancelled); null when there is one. */
  reason: string | null;
}

/** The curve of a model's reference images (image files, not folders). */
export async function computeModelCurve(service: CurveService, files: readonly string[], options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<ModelCurveOutcome> {
  if (files.length < MINIMUM_CURVE_IMAGES) return { curve: null, reason: `${files.length} reference images: a C_T curve needs at least ${MINIMUM_CURVE_IMAGES}` };
  const computed = await service.curveOf(
    files.map((path) => ({ path })),
    options,
  );
  if (computed.cancelled) return { curve: null, reason: 'cancelled' };
  const { curve, resources } = computed;
  if (curve.itemCount < MINIMUM_CURVE_IMAGES) return { curve: null, reason: `${curve.itemCount} of the images could be embedded: a C_T curve needs at least ${MINIMUM_CURVE_IMAGES}` };
  return {
    curve: { encoderSha256: resources.encoder.sha256, referenceSha256: resources.reference.binSha256, imageCount: curve.itemCount, values: curve.values },
    reason: null,
  };
}

/**
 * The enrolment hook: the model's curve from this enrolment's images when the layered encoder and
 * its reference set are installed; otherwise no curve (enrolment itself never fails for want of one).
 */
export function enrolmentCurveHook(service: CurveService): EnrolCurveHook {
  return async (files, signal) => {
    if (service.currentResources() === null) return { curve: null, reason: 'no layered encoder and C_T reference set installed' };
    try {
      return await computeModelCurve(service, files, { signal });
    } catch (error) {
      return { curve: null, reason: `the C_T curve could not be computed: ${(error as Error).message}` };
    }
  };
}
