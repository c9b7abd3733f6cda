// The C_T statistic (docs/methods.md §2) against numpy / scipy / scikit-learn on the fixed embeddings
// of tests/fixtures/ct/reference.json (made by make_reference.py next to it), and its rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { after } from 'node:test';
import { curveMatchingScore } from '../../src-engine/ct-curve/ct-curve.ts';
import { type CtCell, ctFromCells, ctStatistic } from '../../src-engine/ct-curve/ct-statistic.ts';
import { DenseKernels } from '../../src-engine/base/linear-algebra/dense-kernels.ts';
import { kMeans } from '../../src-engine/ct-curve/kmeans.ts';
import { mannWhitneyU, mannWhitneyZ } from '../../src-engine/ct-curve/mann-whitney.ts';
import { type Matrix, matrixFromRows } from '../../src-engine/base/linear-algebra/matrix.ts';
import { nearestDistances, nearestReference } from '../../src-engine/ct-curve/nearest-neighbour.ts';
import { fitPca, fitPcaFast, projectPca, projectPcaFast } from '../../src-engine/base/linear-algebra/pca.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';
import { repoRoot } from './helpers/repo-paths.ts';

type ReferenceCt = { ct: number | null; cells: CtCell[]; p_distance: (number | null)[]; q_distance: (number | null)[] };
const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'ct', 'reference.json'), 'utf8')) as {
  T: number[][];
  P: number[][];
  Q: number[][];
  pca: { dimensions: number; explained_variance: number[]; components: number[][]; projected_P_head: number[][] };
  kmeans: { cells: number; inertia: number; labels: { T: number[]; P: number[]; Q: number[] } };
  cosine: ReferenceCt;
  euclidean: ReferenceCt;
};
const sets = { T: matrixFromRows(reference.T), P: matrixFromRows(reference.P), Q: matrixFromRows(reference.Q) };
const kernels = new DenseKernels();
after(() => kernels.close());

const close = (actual: number, expected: number, what: string, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs reference ${expected}`);

const rowsOf = (matrix: Matrix, count = matrix.rows) =>
  Array.from({ length: count }, (_, r) => Array.from(matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols)));

test('Mann-Whitney U counts pairs with q > p, ties as one half, and z follows docs/methods.md §2', () => {
  // q = 1: 0.5 (tie with p = 1); q = 2 twice: 0.5 + 0.5 + 1 each; q = 3: 3 → 7.5.
  assert.equal(mannWhitneyU([1, 2, 2, 3], [2, 2, 1]), 7.5);
  assert.equal(mannWhitneyU([5, 5], [5, 5, 5]), 3);
  const random = (seed: number) => Array.from({ length: 40 }, (_, i) => Math.round(Math.abs(Math.sin(seed * 97 + i * 13)) * 6));
  const [q, p] = [random(1), random(2)];
  const pairwise = q.reduce((sum, qi) => sum + p.reduce((inner, pi) => inner + (qi > pi ? 1 : qi === pi ? 0.5 : 0), 0), 0);
  assert.equal(mannWhitneyU(q, p), pairwise);
  // n = 3, m = 4, U = 7.5: (7.5 - 6 + 0.5) / sqrt(3·4·8/12), no tie correction.
  assert.equal(mannWhitneyZ(7.5, 3, 4), 2 / Math.sqrt(8));
});

for (const fit of ['exact', 'fast'] as const) {
  test(`PCA fitted on T matches scikit-learn (${fit}: explained variance, axes and projections up to sign)`, async () => {
    const pca = fit === 'exact' ? fitPca(sets.T, reference.pca.dimensions) : (await fitPcaFast(sets.T, reference.pca.dimensions, kernels)).pca;
    pca.explainedVariance.forEach((value, i) => close(value, reference.pca.explained_variance[i]!, `variance ${i}`, 1e-9 * reference.pca.explained_variance[0]!));
    const projected = rowsOf(fit === 'exact' ? projectPca(pca, sets.P) : await projectPcaFast(pca, sets.P, kernels), 10);
    pca.components.forEach((axis, j) => {
      const expected = reference.pca.components[j]!;
      const sign = Math.sign(axis.reduce((sum, value, c) => sum + value * expected[c]!, 0));
      axis.forEach((value, c) => close(sign * value, expected[c]!, `axis ${j}[${c}]`, 1e-7));
      projected.forEach((row, r) => close(sign * row[j]!, reference.pca.projected_P_head[r]![j]!, `projection ${r},${j}`, 1e-4));
    });
    // Asking for more dimensions than the data has keeps them all.
    const all = fit === 'exact' ? fitPca(sets.T, 64) : (await fitPcaFast(sets.T, 64, kernels)).pca;
    assert.equal(all.components.length, 16);
  });
}

test('the randomized PCA (k + 10 < d) finds the principal axes of a decaying spectrum, and T’s projection with them', async () => {
  // 400 rows in 120 dimensions, variance 1/j² along axis j of a random rotation: k = 8 searches 18 of 120 directions.
  const random = mulberry32(11);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const d = 120;
  const rotation = fitPca(matrixFromRows(Array.from({ length: 300 }, () => Array.from({ length: d }, gaussian))), d).components;
  const T = matrixFromRows(Array.from({ length: 400 }, () => {
    const row = new Float64Array(d).fill(3);
    rotation.forEach((axis, j) => {
      const amount = gaussian() / (j + 1);
      axis.forEach((value, c) => (row[c] = row[c]! + amount * value));
    });
    return row;
  }));
  const exact = fitPca(T, 8);
  const { pca, projected } = await fitPcaFast(T, 8, kernels, 5);
  // float32 products: agreement to float32 precision.
  pca.explainedVariance.forEach((value, j) => close(value, exact.explainedVariance[j]!, `variance ${j}`, 1e-5 * exact.explainedVariance[j]!));
  pca.components.forEach((axis, j) => {
    const alignment = Math.abs(axis.reduce((sum, value, c) => sum + value * exact.components[j]![c]!, 0));
    close(alignment, 1, `axis ${j} against the exact one`, 1e-6);
  });
  const direct = projectPca(pca, T);
  projected.data.forEach((value, i) => close(value, direct.data[i]!, `projection ${i}`, 1e-4));
});

test('KMeans (k-means++, 10 restarts) reaches scikit-learn’s best-of-10 inertia and is deterministic', async () => {
  const options = { clusters: reference.kmeans.cells, restarts: 10, seed: 7 };
  const first = await kMeans(sets.T, options, kernels);
  assert.ok(first.inertia <= reference.kmeans.inertia * 1.01, `inertia ${first.inertia} vs scikit-learn ${reference.kmeans.inertia}`);
  assert.deepEqual((await kMeans(sets.T, options, kernels)).labels, first.labels);
  assert.equal(new Set(first.labels).size, reference.kmeans.cells);
});

for (const distance of ['cosine', 'euclidean'] as const) {
  test(`C_T with fixed cells matches the numpy / scipy reference (${distance})`, async () => {
    const expected = reference[distance];
    const result = await ctFromCells(sets, reference.kmeans.labels, reference.kmeans.cells, distance, kernels);
    result.cells.forEach((cell, i) => {
      const want = expected.cells[i]!;
      assert.deepEqual([cell.tCount, cell.pCount, cell.qCount, cell.kept], [want.tCount, want.pCount, want.qCount, want.kept], `cell ${i}`);
      assert.equal(cell.u, want.u, `U of cell ${i}`);
      if (want.z === null) assert.equal(cell.z, null);
      else close(cell.z!, want.z, `z of cell ${i}`, 1e-12);
    });
    close(result.ct!, expected.ct!, 'C_T', 1e-12);
    assert.equal(result.tau, 20 / sets.Q.rows);
  });

  test(`nearest-T distances within each cell match the reference (${distance})`, async () => {
    const { labels } = reference.kmeans;
    for (const [name, queries, expected] of [['P', sets.P, reference[distance].p_distance], ['Q', sets.Q, reference[distance].q_distance]] as const) {
      const cellOf = labels[name];
      for (let cell = 0; cell < reference.kmeans.cells; cell++) {
        const members = cellOf.flatMap((c, i) => (c === cell && expected[i] !== null ? [i] : []));
        if (members.length === 0) continue;
        const tRows = reference.T.filter((_, i) => labels.T[i] === cell);
        const got = await nearestDistances(matrixFromRows(members.map((i) => rowsOf(queries)[i]!)), nearestReference(matrixFromRows(tRows), distance), kernels);
        members.forEach((i, k) => close(got[k]!, expected[i]!, `${name}[${i}]`, 1e-6));
      }
    }
  });
}

test('cosine distance is 1 - |cos| and ignores scale; Euclidean does not', async () => {
  const reference2d = matrixFromRows([[1, 0], [0, 2]]);
  const queries = matrixFromRows([[-3, 0.0], [1, 1]]);
  const nearest = (q: Matrix, distance: 'cosine' | 'euclidean') => nearestDistances(q, nearestReference(reference2d, distance), kernels);
  const cosine = await nearest(queries, 'cosine');
  close(cosine[0]!, 0, 'opposite direction counts as aligned', 1e-12);
  close(cosine[1]!, 1 - Math.SQRT1_2, '45°', 1e-7);
  const euclidean = await nearest(queries, 'euclidean');
  close(euclidean[0]!, Math.sqrt(13), 'Euclidean: (0, 2) is nearer than (1, 0)', 1e-6);
  close(euclidean[1]!, 1, 'Euclidean to (1, 0)', 1e-6);
  const scaled = matrixFromRows([[-30, 0], [10, 10]]);
  assert.deepEqual(await nearest(scaled, 'cosine'), cosine);
  assert.notDeepEqual(await nearest(scaled, 'euclidean'), euclidean);
});

test('a cell is kept only when its Q share exceeds tau = 20/m strictly; no kept cell leaves C_T undefined', async () => {
  const cellOfRows = (count: number, cellOf: (i: number) => number) => Array.from({ length: count }, (_, i) => cellOf(i));
  const points = (count: number, offset: number) => matrixFromRows(cellOfRows(count, (i) => i).map((i) => [1 + offset + (i % 2 === 0 ? 0 : 10), 1 + i * 0.01]));
  const T = points(20, 0);
  const P = points(10, 0.1);
  const Q = points(40, 0.2);
  const tLabels = cellOfRows(20, (i) => i % 2);
  const pLabels = cellOfRows(10, (i) => i % 2);
  // m = 40: tau = 0.5. Exactly half of Q in each cell: neither share exceeds tau.
  const even = await ctFromCells({ T, P, Q }, { T: tLabels, P: pLabels, Q: cellOfRows(40, (i) => i % 2) }, 2, 'euclidean', kernels);
  assert.deepEqual(even.cells.map((cell) => cell.kept), [false, false]);
  assert.equal(even.ct, null);
  // 21 Q in cell 0 (row 1 moved there): only cell 0 kept, so C_T is its z.
  const tilted = await ctFromCells({ T, P, Q }, { T: tLabels, P: pLabels, Q: cellOfRows(40, (i) => (i === 1 ? 0 : i % 2)) }, 2, 'euclidean', kernels);
  assert.deepEqual(tilted.cells.map((cell) => cell.kept), [true, false]);
  assert.equal(tilted.ct, tilted.cells[0]!.z);
  // A kept cell without P carries no weight: with no other kept cell, C_T is undefined, not 0.
  const noP = await ctFromCells({ T, P, Q }, { T: tLabels, P: cellOfRows(10, () => 1), Q: cellOfRows(40, (i) => (i === 1 ? 0 : i % 2)) }, 2, 'euclidean', kernels);
  assert.equal(noP.cells[0]!.z, null);
  assert.equal(noP.ct, null);
});

test('the full C_T (PCA, KMeans, cells) is deterministic and sees the copying in the reference Q', async () => {
  const first = await ctStatistic(sets, kernels, { seed: 3 });
  assert.deepEqual(await ctStatistic(sets, kernels, { seed: 3 }), first);
  assert.ok(first.ct !== null && first.ct < 0, `C_T ${first.ct}: Q is half near-copies of T`);
  const honest = await ctStatistic({ T: sets.T, P: sets.P, Q: matrixFromRows(reference.P.slice(0, 100).reverse()) }, kernels, { seed: 3 });
  assert.ok(honest.ct === null || Math.abs(honest.ct) < 3, `C_T of held-out real data ${honest.ct}`);
});

test('curve matching score: 0.5 cos + 0.5 / (1 + distance), undefined entries as 0', () => {
  assert.equal(curveMatchingScore([1, 2, 3], [1, 2, 3]), 1);
  close(curveMatchingScore([1, 0], [0, 1]), 0.5 / (1 + Math.SQRT2), 'orthogonal', 1e-15);
  assert.equal(curveMatchingScore([1, null, Number.NaN], [1, 0, 0]), 1);
  close(curveMatchingScore([2, 0], [1, 0]), 0.5 + 0.5 / 2, 'same direction, distance 1', 1e-15);
  assert.equal(curveMatchingScore([null, null], [0, 0]), 0.5);
  assert.throws(() => curveMatchingScore([1], [1, 2]), /different lengths/);
});
