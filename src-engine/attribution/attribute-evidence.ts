// Attribution of fingerprinted evidence against the gallery with calibrated LRs: every image on
// its own (single-image calibration), and in 'set' mode the selection as one set, pooled by its
// mean and, when a set encoder and its calibration are installed, by DeepSets. The set's size
// picks the calibration (the largest calibrated bag size not above it).
import type { ItemAttribution, SetAttribution, SetMethodAttribution } from '../api/contract.ts';
import { meanPool } from '../calibration/bag-comparisons.ts';
import type { BagEncoder } from '../calibration/calibrate-folder.ts';
import { calibrationFor, type CalibrationEntry, type Pooling, type UsableCalibration } from '../calibration/calibration-set.ts';
import type { GalleryMatrix } from '../gallery/identify.ts';
import { setEncodedMatrix, type AttributionGallery } from './attribution-gallery.ts';
import { rankCandidates } from './rank-candidates.ts';

export interface FingerprintedItem {
  itemId: number;
  originalName: string;
  sha256: string;
  embedding: Float32Array;
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

function requireEntry(calibration: UsableCalibration, pooling: Pooling, size: number): CalibrationEntry {
  const entry = calibrationFor(calibration.set, pooling, size);
  if (!entry) throw new Error(`the calibration has no ${pooling} entry for ${size} images`);
  return entry;
}

export async function attributeEvidence(request: AttributionRequest): Promise<AttributionOutcome> {
  const { gallery, calibration, top } = request;
  const used = new Map<string, CalibrationEntry>();
  const use = (entry: CalibrationEntry) => (used.set(entry.calibration.id, entry), entry);

  const single = use(requireEntry(calibration, 'single', 1));
  const items = request.items.map((item): ItemAttribution => ({
    itemId: item.itemId,
    originalName: item.originalName,
    sha256: item.sha256,
    calibrationId: single.calibration.id,
    ...rankCandidates(item.embedding, gallery.matrix, gallery.models, single.calibration, { top, subject: 'the image', querySha256s: [item.sha256] }),
  }));
  if (request.mode === 'items' || request.items.length === 0) return { items, set: null, used: [...used.values()] };

  const embeddings = request.items.map((item) => item.embedding);
  const size = embeddings.length;
  const shas = request.items.map((item) => item.sha256);
  const subject = size === 1 ? 'the set of 1 image' : `the set of ${size} images`;
  const bySet = (query: Float32Array, matrix: GalleryMatrix, entry: CalibrationEntry): SetMethodAttribution => ({
    calibrationId: use(entry).calibration.id,
    bagSize: entry.bagSize,
    ...rankCandidates(query, matrix, gallery.models, entry.calibration, { top, subject, querySha256s: shas }),
  });

  const mean = bySet(meanPool(embeddings), gallery.matrix, requireEntry(calibration, 'mean', size));
  let deepsets: SetMethodAttribution | null = null;
  let deepsetsNote: string | null = null;
  const deepsetsEntry = calibrationFor(calibration.set, 'deepsets', size);
  if (!calibration.deepsets.usable) deepsetsNote = `DeepSets not used: ${calibration.deepsets.reason}.`;
  else if (!request.setEncoder) deepsetsNote = 'DeepSets not used: no set encoder is installed.';
  else if (!deepsetsEntry) deepsetsNote = `DeepSets not used: the calibration has no DeepSets entry for ${size} images.`;
  else {
    const encoder = request.setEncoder;
    deepsets = bySet(await encoder.encode(embeddings), await setEncodedMatrix(gallery, (bag) => encoder.encode(bag)), deepsetsEntry);
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
