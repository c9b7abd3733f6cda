// C_T curve-matching evaluation (`evaluate --curves`): the half split, nearest-neighbour matching
// with the paper's score and its ranks, on small synthetic curves; then the whole evaluation on the
// tiny ViT of tests/fixtures/layered with two generators of noise images.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { curveMatchingScore } from '../../src-engine/ct-curve/ct-curve.ts';
import { evaluateCurveMatching, matchCurveSets, splitHalves, undefinedPerLayer } from '../../src-engine/evaluation/curve-matching.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { buildTinyReference, tinyCurveService, writeNoiseImages } from './helpers/tiny-curves.ts';

test('splitHalves gives two disjoint halves in order: the first floor(n/2) known, the rest query', () => {
  assert.deepEqual(splitHalves([1, 2, 3, 4, 5, 6]), { known: [1, 2, 3], query: [4, 5, 6] });
  assert.deepEqual(splitHalves(['a', 'b', 'c', 'd', 'e']), { known: ['a', 'b'], query: ['c', 'd', 'e'] });
  assert.deepEqual(splitHalves([]), { known: [], query: [] });
  const items = Array.from({ length: 300 }, (_, i) => i);
  const { known, query } = splitHalves(items);
  assert.equal(known.length, 150);
  assert.equal(query.length, 150);
  assert.ok(known.every((k) => !query.includes(k)));
  assert.deepEqual([...known, ...query], items);
});

test('matchCurveSets scores every query against every known curve, ranks the true generator and counts top-1', () => {
  const known = [
    { name: 'a', values: [1, 2, 3, 4] },
    { name: 'b', values: [-1, 0, 1, 0] },
    { name: 'c', values: [4, 3, 2, 1] },
    { name: 'd', values: null }, // no known curve: not a column, and its query cannot be scored
  ];
  const queries = [
    { name: 'a', values: [1.1, 2, 2.9, 4] }, // nearest a
    { name: 'b', values: [4, 3, 2.1, 1] }, // looks like c: b ranks below c
    { name: 'c', values: [4, 3, null, 1] }, // null reads as 0: still nearest c
    { name: 'd', values: [1, 1, 1, 1] }, // scored row, but no true known curve
    { name: 'e', values: null }, // no query curve: left out
  ];
  const m = matchCurveSets(known, queries);
  assert.deepEqual(m.known, ['a', 'b', 'c']);
  assert.deepEqual(
    m.queries.map((q) => [q.name, q.best, q.rank, q.correct]),
    [
      ['a', 'a', 1, true],
      ['b', 'c', 3, false],
      ['c', 'c', 1, true],
      ['d', 'a', null, false],
    ],
  );
  assert.equal(m.scores.length, 4);
  assert.ok(m.scores.every((row) => row.length === 3));
  assert.equal(m.scores[1]![2], curveMatchingScore([4, 3, 2.1, 1], [4, 3, 2, 1]));
  assert.equal(m.queries[1]!.trueScore, m.scores[1]![1]);
  assert.equal(m.scored, 3);
  assert.equal(m.correct, 2);
  assert.equal(m.accuracy, 2 / 3);
  assert.equal(m.meanRank, (1 + 3 + 1) / 3);
});

test('a tie with the true generator counts against it (rank 2, not correct)', () => {
  const m = matchCurveSets(
    [
      { name: 'x', values: [1, 1] },
      { name: 'y', values: [1, 1] },
    ],
    [{ name: 'y', values: [1, 1] }],
  );
  assert.equal(m.queries[0]!.best, 'x');
  assert.equal(m.queries[0]!.rank, 2);
  assert.equal(m.accuracy, 0);
});

test('undefinedPerLayer counts undefined entries per layer, a missing curve at every layer', () => {
  assert.deepEqual(undefinedPerLayer([[1, null, 3], [null, null, Number.NaN], null], 3), [2, 3, 2]);
});

test('evaluateCurveMatching splits each generator folder, measures both halves and matches them (tiny ViT)', async (t) => {
  const home = makeTempDir(t, 'modelprint-curve-matching');
  const referenceDir = await buildTinyReference(home);
  const folder = path.join(home, 'generators');
  // 44 images each: 22 per half, just above the 21 a curve needs.
  await writeNoiseImages(path.join(folder, 'gen-a'), 44, 10);
  await writeNoiseImages(path.join(folder, 'gen-b'), 44, 5000);
  const service = tinyCurveService(referenceDir);
  t.after(() => service.close());
  const report = await evaluateCurveMatching(folder, service);
  assert.equal(report.kind, 'ct-curve-matching');
  assert.deepEqual(
    report.generators.map((g) => [g.name, g.images, g.known.itemCount, g.query.itemCount]),
    [
      ['gen-a', 44, 22, 22],
      ['gen-b', 44, 22, 22],
    ],
  );
  assert.equal(report.images, 88);
  assert.deepEqual(report.matches.known, ['gen-a', 'gen-b']);
  assert.equal(report.matches.scores.length, 2);
  assert.equal(report.matches.scored, 2);
  assert.ok(report.matches.queries.every((q) => q.rank === 1 || q.rank === 2));
  const layers = report.encoder.layers;
  assert.equal(report.undefinedPerLayer.known.length, layers);
  assert.equal(report.meanKeptCells.query.length, layers);
  // 22 images: a cell needs more than 20 of them, so at most one cell per layer is kept.
  assert.ok(report.generators.every((g) => g.known.keptCells.every((k) => k <= 1)));
  assert.match(report.notes[0]!, /tau = 20\/m/);
});
