// A 2D map of gallery fingerprints for the gallery browser: UMAP (umap-js, PAIR-code) on cosine
// distance, seeded so the same gallery always gives the same map. UMAP builds its layout from each
// point's nearest neighbours; with only a handful of models that graph is nearly complete and the
// layout mostly reflects the random start, so small galleries get PCA instead (the two directions
// of largest variance: linear, deterministic, and honest about distances at that size).
import { UMAP } from 'umap-js';
import { matrixFromRows } from '../base/linear-algebra/matrix.ts';
import { fitPca, projectPca } from '../base/linear-algebra/pca.ts';
import { mulberry32 } from '../base/seeded-random.ts';
import { unitVector } from './families.ts';

/** Fewer models than this are mapped by PCA. */
export const MIN_UMAP_MODELS = 10;
const MAX_NEIGHBOURS = 15;
const MIN_DIST = 0.1;
const SEED = 20_260_401;

export interface FingerprintMap {
  /** What made the map, and with which settings (or why it is PCA). */
  method: string;
  points: Array<{ x: number; y: number }>;
}

/** 1 - cosine of two unit vectors (umap-js does not export its own). */
function cosineDistance(x: readonly number[], y: readonly number[]): number {
  let dot = 0;
  for (let d = 0; d < x.length; d++) dot += x[d]! * y[d]!;
  return Math.max(0, 1 - dot);
}

export function fingerprintMap(embeddings: readonly ArrayLike<number>[]): FingerprintMap {
  const n = embeddings.length;
  const rows = embeddings.map((e) => Array.from(unitVector(e)));
  if (n >= MIN_UMAP_MODELS) {
    const neighbours = Math.min(MAX_NEIGHBOURS, n - 1);
    const umap = new UMAP({ nComponents: 2, nNeighbors: neighbours, minDist: MIN_DIST, distanceFn: cosineDistance, random: mulberry32(SEED) });
    const points = umap.fit(rows).map(([x, y]) => ({ x: x!, y: y! }));
    return { method: `UMAP (cosine distance, ${neighbours} neighbours, min_dist ${MIN_DIST}, seed ${SEED})`, points };
  }
  const reason = `${n} ${n === 1 ? 'model is' : 'models are'} too few for UMAP (it needs at least ${MIN_UMAP_MODELS})`;
  if (n < 2) return { method: `PCA: ${reason}`, points: rows.map(() => ({ x: 0, y: 0 })) };
  const matrix = matrixFromRows(rows);
  const projected = projectPca(fitPca(matrix, 2), matrix);
  const points = Array.from({ length: n }, (_, r) => ({ x: projected.data[r * projected.cols]!, y: projected.cols > 1 ? projected.data[r * projected.cols + 1]! : 0 }));
  return { method: `PCA (first two principal components): ${reason}`, points };
}
