// 1:N identification against the gallery: cosine similarity of a query embedding with every
// model's fingerprint. The fingerprints sit in one contiguous Float32Array (row per model, each
// L2-normalised), so scoring is a straight dot-product loop with no per-entry objects, fast
// enough for galleries of 100,000 entries.
import type { CurrentFingerprint } from './gallery-store.ts';

export interface GalleryMatrix {
  dim: number;
  modelIds: Int32Array;
  names: readonly string[];
  families: readonly string[];
  /** rows x dim, row r is the normalised fingerprint of modelIds[r]. */
  rows: Float32Array;
}

export interface Candidate {
  modelId: number;
  name: string;
  family: string;
  /** Cosine similarity in [-1, 1]: an uncalibrated similarity, not a probability. */
  score: number;
  rank: number;
}

function normalised(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(vector, (v) => v / norm);
}

export function buildGalleryMatrix(fingerprints: readonly CurrentFingerprint[]): GalleryMatrix {
  const dim = fingerprints[0]?.embedding.length ?? 0;
  const rows = new Float32Array(fingerprints.length * dim);
  fingerprints.forEach((f, r) => {
    if (f.embedding.length !== dim) throw new Error(`fingerprint of "${f.name}" has ${f.embedding.length} dimensions, not ${dim}`);
    rows.set(normalised(f.embedding), r * dim);
  });
  return { dim, modelIds: Int32Array.from(fingerprints, (f) => f.modelId), names: fingerprints.map((f) => f.name), families: fingerprints.map((f) => f.family), rows };
}

/** The `top` most similar gallery entries, best first (ties: lower row first). */
export function identify(query: Float32Array, gallery: GalleryMatrix, top: number): Candidate[] {
  const { dim, rows } = gallery;
  if (query.length !== dim) throw new Error(`the query has ${query.length} dimensions, the gallery ${dim}`);
  const q = normalised(query);
  const count = gallery.modelIds.length;
  const k = Math.min(top, count);
  // The best k so far, kept sorted by insertion: k is small, so this beats sorting every score.
  const bestRows = new Int32Array(k);
  const bestScores = new Float64Array(k).fill(-Infinity);
  for (let r = 0; r < count; r++) {
    let dot = 0;
    const base = r * dim;
    for (let d = 0; d < dim; d++) dot += rows[base + d]! * q[d]!;
    if (k === 0 || dot <= bestScores[k - 1]!) continue;
    let slot = k - 1;
    while (slot > 0 && dot > bestScores[slot - 1]!) {
      bestScores[slot] = bestScores[slot - 1]!;
      bestRows[slot] = bestRows[slot - 1]!;
      slot--;
    }
    bestScores[slot] = dot;
    bestRows[slot] = r;
  }
  return Array.from(bestRows, (r, i) => ({ modelId: gallery.modelIds[r]!, name: gallery.names[r]!, family: gallery.families[r]!, score: bestScores[i]!, rank: i + 1 }));
}
