// 1:N identification against the gallery: cosine similarity of a query embedding with every
// model's fingerprint. The fingerprints sit in one contiguous Float32Array (row per model, each
// L2-normalised), so scoring is a straight dot-product loop with no per-entry objects, fast
// enough for galleries of 100,000 entries; attribution scores with the same kernel (cosineScores).
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

export function buildGalleryMatrix(fingerprints: readonly CurrentFingerprint[]): GalleryMatrix {
  const dim = fingerprints[0]?.embedding.length ?? 0;
  const rows = new Float32Array(fingerprints.length * dim);
  fingerprints.forEach((f, r) => {
    if (f.embedding.length !== dim) throw new Error(`fingerprint of "${f.name}" has ${f.embedding.length} dimensions, not ${dim}`);
    // Normalised in place in its row: no temporary array per entry.
    const row = rows.subarray(r * dim, (r + 1) * dim);
    row.set(f.embedding);
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += row[d]! * row[d]!;
    const norm = Math.sqrt(sum) || 1;
    for (let d = 0; d < dim; d++) row[d] = row[d]! / norm;
  });
  return { dim, modelIds: Int32Array.from(fingerprints, (f) => f.modelId), names: fingerprints.map((f) => f.name), families: fingerprints.map((f) => f.family), rows };
}

/**
 * Cosine similarity of the query with every row (rows are L2-normalised): the one cosine kernel
 * that attribution (rank-candidates.ts, verify-sets.ts) and identification below score with.
 */
export function cosineScores(query: Float32Array, gallery: GalleryMatrix): Float64Array {
  const { dim, rows } = gallery;
  if (query.length !== dim) throw new Error(`the query has ${query.length} dimensions, the gallery ${dim}`);
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += query[d]! * query[d]!;
  norm = Math.sqrt(norm) || 1;
  const scores = new Float64Array(gallery.modelIds.length);
  for (let r = 0; r < scores.length; r++) {
    let dot = 0;
    for (let d = 0, base = r * dim; d < dim; d++) dot += rows[base + d]! * query[d]!;
    scores[r] = dot / norm;
  }
  return scores;
}

/** The `top` most similar gallery entries, best first (ties: lower row first). */
export function identify(query: Float32Array, gallery: GalleryMatrix, top: number): Candidate[] {
  const scores = cosineScores(query, gallery);
  const count = scores.length;
  const k = Math.min(top, count);
  // The best k so far, kept sorted by insertion: k is small, so this beats sorting every score.
  const bestRows = new Int32Array(k);
  const bestScores = new Float64Array(k).fill(-Infinity);
  for (let r = 0; r < count; r++) {
    const score = scores[r]!;
    if (k === 0 || score <= bestScores[k - 1]!) continue;
    let slot = k - 1;
    while (slot > 0 && score > bestScores[slot - 1]!) {
      bestScores[slot] = bestScores[slot - 1]!;
      bestRows[slot] = bestRows[slot - 1]!;
      slot--;
    }
    bestScores[slot] = score;
    bestRows[slot] = r;
  }
  return Array.from(bestRows, (r, i) => ({ modelId: gallery.modelIds[r]!, name: gallery.names[r]!, family: gallery.families[r]!, score: bestScores[i]!, rank: i + 1 }));
}
