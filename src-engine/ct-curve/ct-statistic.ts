// The C_T data-copying statistic of Meehan, Chaudhuri & Dasgupta (2020), exactly as
// methods.md §2: partition by KMeans on T, per-cell Mann-Whitney z of Q's against P's
// nearest-T distances, P-weighted mean over the cells where Q is well represented.
import { assignToCells, kMeans } from './kmeans.ts';
import { mannWhitneyU, mannWhitneyZ } from './mann-whitney.ts';
import { type Matrix, selectRows } from './matrix.ts';
import { type DistanceKind, nearestDistances } from './nearest-neighbour.ts';
import { fitPca, projectPca } from './pca.ts';

export type CtSets = { T: Matrix; P: Matrix; Q: Matrix };

export type CtOptions = {
  distance?: DistanceKind;
  pcaDimensions?: number;
  cells?: number;
  restarts?: number;
  seed?: number;
};

export type CellLabels = { T: ArrayLike<number>; P: ArrayLike<number>; Q: ArrayLike<number> };

export type CtCell = {
  cell: number;
  tCount: number;
  pCount: number;
  qCount: number;
  /** Mann-Whitney U and z of this cell; null where it has no P or no Q sample. */
  u: number | null;
  z: number | null;
  /** Q share > tau = 20 / m, strictly. */
  kept: boolean;
};

export type CtResult = {
  /** null: no kept cell (or none with P in it), so C_T is undefined; never reported as 0. */
  ct: number | null;
  cells: CtCell[];
  tau: number;
};

export const CT_DEFAULTS = { distance: 'cosine', pcaDimensions: 64, cells: 10, restarts: 10, seed: 0 } as const;

/**
 * C_T of Q against T with P as the held-out real data. PCA (fitted on T only) and the KMeans
 * partition define the space in which the nearest-T distances are also measured.
 */
export function ctStatistic(sets: CtSets, options: CtOptions = {}): CtResult {
  const settings = { ...CT_DEFAULTS, ...options };
  const pca = fitPca(sets.T, settings.pcaDimensions);
  const [T, P, Q] = [sets.T, sets.P, sets.Q].map((x) => projectPca(pca, x)) as [Matrix, Matrix, Matrix];
  const partition = kMeans(T, { clusters: settings.cells, restarts: settings.restarts, seed: settings.seed });
  const labels = { T: partition.labels, P: assignToCells(partition.centroids, P), Q: assignToCells(partition.centroids, Q) };
  return ctFromCells({ T, P, Q }, labels, settings.cells, settings.distance);
}

/** C_T for a given cell assignment (steps 2-4 of methods.md §2). */
export function ctFromCells(sets: CtSets, labels: CellLabels, cellCount: number, distance: DistanceKind): CtResult {
  const n = sets.P.rows;
  const m = sets.Q.rows;
  const tau = 20 / m;
  const [tRows, pRows, qRows] = [labels.T, labels.P, labels.Q].map((cellOf) => rowsByCell(cellOf, cellCount));
  const cells: CtCell[] = [];
  let weightedZ = 0;
  let weight = 0;
  for (let cell = 0; cell < cellCount; cell++) {
    const [t, p, q] = [tRows![cell]!, pRows![cell]!, qRows![cell]!];
    const kept = q.length / m > tau;
    let u: number | null = null;
    let z: number | null = null;
    if (p.length > 0 && q.length > 0) {
      if (t.length === 0) throw new Error(`cell ${cell} holds P and Q samples but no T sample`);
      const reference = selectRows(sets.T, t);
      const pDistances = nearestDistances(selectRows(sets.P, p), reference, distance);
      const qDistances = nearestDistances(selectRows(sets.Q, q), reference, distance);
      u = mannWhitneyU(qDistances, pDistances);
      z = mannWhitneyZ(u, p.length, q.length);
    }
    // A kept cell without P has P share 0, so it carries no weight whatever its (undefined) z.
    if (kept && z !== null) {
      const pShare = p.length / n;
      weightedZ += pShare * z;
      weight += pShare;
    }
    cells.push({ cell, tCount: t.length, pCount: p.length, qCount: q.length, u, z, kept });
  }
  return { ct: weight > 0 ? weightedZ / weight : null, cells, tau };
}

function rowsByCell(cellOf: ArrayLike<number>, cellCount: number): number[][] {
  const rows = Array.from({ length: cellCount }, (): number[] => []);
  for (let i = 0; i < cellOf.length; i++) {
    const cell = cellOf[i]!;
    if (!Number.isInteger(cell) || cell < 0 || cell >= cellCount) throw new Error(`row ${i} has cell ${cell}, outside 0..${cellCount - 1}`);
    rows[cell]!.push(i);
  }
  return rows;
}
