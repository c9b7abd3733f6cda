// The C_T data-copying statistic of Meehan, Chaudhuri & Dasgupta (2020), exactly as
// docs/methods.md §2: partition by KMeans on T, per-cell Mann-Whitney z of Q's against P's
// nearest-T distances, P-weighted mean over the cells where Q is well represented.
//
// Everything about T and P (PCA, cells, P's distances) is independent of Q: prepareCtReference
// computes it once, and ctAgainstReference measures any number of Q sets against it.
import type { DenseKernels } from '../base/linear-algebra/dense-kernels.ts';
import { assignToCells, type Centroids, kMeans } from './kmeans.ts';
import { mannWhitneyU, mannWhitneyZ } from './mann-whitney.ts';
import { type Matrix, selectRows } from '../base/linear-algebra/matrix.ts';
import { type DistanceKind, nearestDistances, nearestReference, type NearestReference } from './nearest-neighbour.ts';
import { fitPcaFast, type Pca, projectPcaFast } from '../base/linear-algebra/pca.ts';

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

/** One cell of the partition as seen from T and P. */
interface ReferenceCell {
  tCount: number;
  pCount: number;
  /** The cell's T rows, ready for nearest-neighbour queries; null when the cell has no T. */
  t: NearestReference | null;
  /** Nearest-T distance of each of the cell's P rows; null when the cell has no T to measure to. */
  pDistances: Float64Array | null;
}

/** The Q-independent part of C_T for one layer. */
export interface CtReference {
  /** null when the sets were given already in the measuring space (ctFromCells). */
  pca: Pca | null;
  centroids: Centroids | null;
  cells: ReferenceCell[];
  /** |P| */
  pCount: number;
}

export async function prepareCtReference(T: Matrix, P: Matrix, kernels: DenseKernels, options: CtOptions = {}): Promise<CtReference> {
  const settings = { ...CT_DEFAULTS, ...options };
  // PCA (fitted on T only) and the KMeans partition define the space in which the
  // nearest-T distances are also measured.
  const { pca, projected } = await fitPcaFast(T, settings.pcaDimensions, kernels, settings.seed);
  const partition = await kMeans(projected, { clusters: settings.cells, restarts: settings.restarts, seed: settings.seed }, kernels);
  const projectedP = await projectPcaFast(pca, P, kernels);
  const labels = { T: partition.labels, P: await assignToCells(partition.centroids, projectedP, kernels) };
  return { pca, centroids: partition.centroids, ...(await referenceCells(projected, projectedP, labels, settings.cells, settings.distance, kernels)) };
}

/** C_T of Q (in the embedding space T and P came in) against a prepared reference. */
export async function ctAgainstReference(reference: CtReference, Q: Matrix, kernels: DenseKernels): Promise<CtResult> {
  if (!reference.pca || !reference.centroids) throw new Error('this reference has no PCA and partition of its own: measure Q with ctFromCells');
  const projected = await projectPcaFast(reference.pca, Q, kernels);
  return ctOfCells(reference, projected, await assignToCells(reference.centroids, projected, kernels), kernels);
}

/** The whole statistic for one layer: reference and Q in one go. */
export async function ctStatistic(sets: CtSets, kernels: DenseKernels, options: CtOptions = {}): Promise<CtResult> {
  return ctAgainstReference(await prepareCtReference(sets.T, sets.P, kernels, options), sets.Q, kernels);
}

/** C_T for a given cell assignment, in the sets' own space (steps 2-4 of docs/methods.md §2). */
export async function ctFromCells(sets: CtSets, labels: CellLabels, cellCount: number, distance: DistanceKind, kernels: DenseKernels): Promise<CtResult> {
  const reference = await referenceCells(sets.T, sets.P, labels, cellCount, distance, kernels);
  return ctOfCells({ pca: null, centroids: null, ...reference }, sets.Q, labels.Q, kernels);
}

async function referenceCells(
  T: Matrix,
  P: Matrix,
  labels: Pick<CellLabels, 'T' | 'P'>,
  cellCount: number,
  distance: DistanceKind,
  kernels: DenseKernels,
): Promise<Pick<CtReference, 'cells' | 'pCount'>> {
  const tRows = rowsByCell(labels.T, cellCount);
  const pRows = rowsByCell(labels.P, cellCount);
  const cells: ReferenceCell[] = [];
  for (let cell = 0; cell < cellCount; cell++) {
    const [t, p] = [tRows[cell]!, pRows[cell]!];
    const reference = t.length > 0 ? nearestReference(selectRows(T, t), distance) : null;
    // P in a cell without T has no distance; C_T needs one only if Q lands there too.
    const pDistances = reference ? await nearestDistances(selectRows(P, p), reference, kernels) : null;
    cells.push({ tCount: t.length, pCount: p.length, t: reference, pDistances });
  }
  return { cells, pCount: P.rows };
}

async function ctOfCells(reference: CtReference, Q: Matrix, qCellOf: ArrayLike<number>, kernels: DenseKernels): Promise<CtResult> {
  const n = reference.pCount;
  const m = Q.rows;
  const tau = 20 / m;
  const qRows = rowsByCell(qCellOf, reference.cells.length);
  const cells: CtCell[] = [];
  let weightedZ = 0;
  let weight = 0;
  for (const [cell, { tCount, pCount, t, pDistances }] of reference.cells.entries()) {
    const q = qRows[cell]!;
    const kept = q.length / m > tau;
    let u: number | null = null;
    let z: number | null = null;
    if (pCount > 0 && q.length > 0) {
      if (!t || !pDistances) throw new Error(`cell ${cell} holds P and Q samples but no T sample`);
      u = mannWhitneyU(await nearestDistances(selectRows(Q, q), t, kernels), pDistances);
      z = mannWhitneyZ(u, pCount, q.length);
    }
    // A kept cell without P has P share 0, so it carries no weight whatever its (undefined) z.
    if (kept && z !== null) {
      const pShare = pCount / n;
      weightedZ += pShare * z;
      weight += pShare;
    }
    cells.push({ cell, tCount, pCount, qCount: q.length, u, z, kept });
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
