// Attribution of fingerprinted evidence against the gallery with calibrated LRs: every image on
// its own (single-image calibration), and in 'set' mode the selection as one set, pooled by its
// mean and, when a set encoder and its calibration are installed, by DeepSets. The set's size
// picks the calibration (the largest calibrated bag size not above it).
import type { ItemAttribution, SetAttribution, SetMethodAttribution } from '../api/contract.ts';
import { meanPool } from '../calibration/bag-comparisons.ts';
import type { BagEncoder } from '../calibration/calibrate-folder.ts';
import type { CalibrationEntry, UsableCalibration } from '../calibration/calibration-set.ts';
import { worstCompression } from '../calibration/leave-bag-out.ts';
import { compressionClass, describeCondition, type CompressionClass, type ObservedCondition } from '../conditions/observed.ts';
import type { GalleryMatrix } from '../gallery/identify.ts';
import { setEncodedMatrix, type AttributionGallery } from '../gallery/attribution-gallery.ts';
import { rankCandidates } from './rank-candidates.ts';

/** What the evidence shows of its condition: the calibration entry depends on it. */
export interface EvidenceCondition {
  compression: CompressionClass;
  minSide: number;
  description: string;
}

export function evidenceCondition(observed: ObservedCondition): EvidenceCondition {
  return { compression: compressionClass(observed), minSide: observed.minSide ?? 0, description: describeCondition(observed) };
}

export interface FingerprintedItem {
  itemId: number;
  originalName: string;
  sha256: string;
  embedding: Float32Array;
  condition: EvidenceCondition;
}

/** A set's condition: its most degraded image's compression and its smallest side. */
function setCondition(items: readonly FingerprintedItem[]): EvidenceCondition {
  const compression = worstCompression(items.map((item) => item.condition.compression));
  const minSide = Math.min(...items.map((item) => item.condition.minSide));
  const kinds = [...new Set(items.map((item) => item.condition.description.split(',')[0]!))];
  return { compression, minSide, description: `${items.length} images (${kinds.join('; ')}); smallest side ${minSide} px` };
}

export interface AttributionRequest {
  items: readonly FingerprintedItem[];
  mode: 'items' | 'set';
  top: number;
  gallery: AttributionGallery;
  calibration: UsableCalibration;
  /** The installed set encoder (used only when the calibration's DeepSets entries fit it). */
  setEncoder: BagEncoder | null;
}

export interface AttributionOutcome {
  items: ItemAttribution[];
  set: SetAttribution | null;
  /** Every calibration entry a result above names. */
  used: CalibrationEntry[];
}

export async function attributeEvidence(request: AttributionRequest): Promise<AttributionOutcome> {
  const { gallery, calibration, top } = request;
  const used = new Map<string, CalibrationEntry>();
  const entriesById = new Map(calibration.set.entries.map((e) => [e.calibration.id, e]));
  const use = <T extends { candidates: Array<{ calibrationId: string }> }>(ranked: T): T => {
    for (const c of ranked.candidates) used.set(c.calibrationId, entriesById.get(c.calibrationId)!);
    return ranked;
  };

  const items = request.items.map((item): ItemAttribution => ({
    itemId: item.itemId,
    originalName: item.originalName,
    sha256: item.sha256,
    ...use(
      rankCandidates(item.embedding, gallery.matrix, gallery.models, calibration.set, {
        top,
        subject: 'the image',
        querySha256s: [item.sha256],
        evidence: { pooling: 'single', size: 1, compression: item.condition.compression, minSide: item.condition.minSide },
        evidenceCondition: item.condition.description,
      }),
    ),
  }));
  if (request.mode === 'items' || request.items.length === 0) return { items, set: null, used: [...used.values()] };

  const embeddings = request.items.map((item) => item.embedding);
  const size = embeddings.length;
  const shas = request.items.map((item) => item.sha256);
  const subject = size === 1 ? 'the set of 1 image' : `the set of ${size} images`;
  const condition = setCondition(request.items);
  const bySet = (query: Float32Array, matrix: GalleryMatrix, pooling: 'mean' | 'deepsets'): SetMethodAttribution => {
    const ranked = use(
      rankCandidates(query, matrix, gallery.models, calibration.set, {
        top,
        subject,
        querySha256s: shas,
        evidence: { pooling, size, compression: condition.compression, minSide: condition.minSide },
        evidenceCondition: condition.description,
      }),
    );
    return { ...ranked, bagSize: entriesById.get(ranked.calibrationId)!.bagSize };
  };

  const mean = bySet(meanPool(embeddings), gallery.matrix, 'mean');
  let deepsets: SetMethodAttribution | null = null;
  let deepsetsNote: string | null = null;
  const hasDeepsets = calibration.set.entries.some((e) => e.pooling === 'deepsets' && e.bagSize <= size);
  if (!calibration.deepsets.usable) deepsetsNote = `DeepSets not used: ${calibration.deepsets.reason}.`;
  else if (!request.setEncoder) deepsetsNote = 'DeepSets not used: no set encoder is installed.';
  else if (!hasDeepsets) deepsetsNote = `DeepSets not used: the calibration has no DeepSets entry for ${size} images.`;
  else {
    const encoder = request.setEncoder;
    deepsets = bySet(await encoder.encode(embeddings), await setEncodedMatrix(gallery, (bag) => encoder.encode(bag)), 'deepsets');
  }
  const set: SetAttribution = {
    size,
    itemIds: request.items.map((item) => item.itemId),
    mean,
    deepsets,
    deepsetsNote,
    overlappingItems: items.filter((item) => item.referenceOverlap !== null).map((item) => item.itemId),
  };
  return { items, set, used: [...used.values()] };
}
