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
  // Four running sums per row: independent additions the CPU overlaps (about 1.4x faster than one).
  const unrolled = dim - (dim % 4);
  for (let r = 0, base = 0; r < count; r++, base += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < unrolled; d += 4) {
      const o = base + d;
      s0 += rows[o]! * q[d]!;
      s1 += rows[o + 1]! * q[d + 1]!;
      s2 += rows[o + 2]! * q[d + 2]!;
      s3 += rows[o + 3]! * q[d + 3]!;
    }
    for (let d = unrolled; d < dim; d++) s0 += rows[base + d]! * q[d]!;
    const dot = s0 + s1 + s2 + s3;
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
