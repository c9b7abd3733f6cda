// The attribution figures of `modelprint evaluate`: new metrics against scikit-learn / numpy on
// tests/fixtures/metrics/attribution-reference.json (make_attribution_reference.py), the bag
// drawing, and the whole evaluation on separable embeddings with a calibration and a set encoder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { ConditionedFolder } from '../../src-engine/calibration/leave-bag-out.ts';
import { evaluateReal } from '../../src-engine/evaluation/real-evaluation.ts';
import { testCalibrationSet } from './helpers/test-calibration.ts';
import { evaluateAttribution, heldOutCount, type AttributionResources } from '../../src-engine/evaluation/attribution-evaluation.ts';
import { chooseHeldOut, drawDisjointBags } from '../../src-engine/metrics/bags.ts';
import { confusionMatrix, macroF1, perClassScores } from '../../src-engine/metrics/classification-metrics.ts';
import { decorrelation } from '../../src-engine/metrics/decorrelation.ts';
import { splitGallery } from '../../src-engine/metrics/protocols.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';
import { rocAuc } from '../../src-engine/metrics/verification-metrics.ts';
import { SetEncoder } from '../../src-engine/set-fingerprint/set-encoder.ts';
import { repoRoot } from './helpers/repo-paths.ts';

const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'metrics', 'attribution-reference.json'), 'utf8')) as {
  classification: { classes: number; truth: number[]; predicted: number[]; confusion: number[][]; precision: number[]; recall: number[]; f1: number[]; support: number[]; macro_f1: number };
  decorrelation: { items: number[][]; labels: number[]; fingerprints: number[][]; rho: number[][]; score: number; mean_own: number; mean_other: number };
  open_set: { known: boolean[]; best: number[]; auroc: number };
};

const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs reference ${expected}`);

test('confusion matrix and per-class precision / recall / F1 match scikit-learn (never-predicted and never-true classes)', () => {
  const { classes, truth, predicted } = reference.classification;
  const confusion = confusionMatrix(truth, predicted, classes);
  assert.deepEqual(confusion, reference.classification.confusion);
  perClassScores(confusion).forEach((s, c) => {
    close(s.precision, reference.classification.precision[c]!, `precision of ${c}`);
    close(s.recall, reference.classification.recall[c]!, `recall of ${c}`);
    close(s.f1, reference.classification.f1[c]!, `F1 of ${c}`);
    assert.equal(s.support, reference.classification.support[c]);
  });
  close(macroF1(truth, predicted), reference.classification.macro_f1, 'macro-F1');
});

test('decorrelation score (set paper eq. 6) matches numpy; open-set AUROC matches scikit-learn', () => {
  const { items, labels, fingerprints } = reference.decorrelation;
  const result = decorrelation(items.map((v) => Float32Array.from(v)), labels, fingerprints.map((v) => Float32Array.from(v)))!;
  result.rho.forEach((row, i) => row.forEach((value, j) => close(value, reference.decorrelation.rho[i]![j]!, `rho[${i}][${j}]`, 1e-6)));
  close(result.score, reference.decorrelation.score, 'decorrelation score', 1e-7);
  close(result.meanOwn, reference.decorrelation.mean_own, 'mean own', 1e-6);
  close(result.meanOther, reference.decorrelation.mean_other, 'mean other', 1e-6);
  close(rocAuc(reference.open_set.best, reference.open_set.known), reference.open_set.auroc, 'AUROC');
});

test('bags are disjoint, of one size, reproducible by seed; size 1 keeps every query in order; held-out choice is seeded', () => {
  const queries = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [20, 21, 22], [30, 31, 32, 33, 34]];
  const bags = drawDisjointBags(queries, 5, 3);
  assert.deepEqual(bags.map((b) => b.length), [2, 0, 1]);
  for (const [g, generatorBags] of bags.entries()) {
    const used = generatorBags.flat();
    assert.equal(new Set(used).size, used.length, 'no image in two bags');
    assert.ok(used.every((i) => queries[g]!.includes(i)));
    assert.ok(generatorBags.every((bag) => bag.length === 5));
  }
  assert.deepEqual(drawDisjointBags(queries, 5, 3), bags);
  assert.notDeepEqual(drawDisjointBags(queries, 5, 4)[0], bags[0]);
  assert.deepEqual(drawDisjointBags(queries, 1, 3)[1], [[20], [21], [22]]);
  assert.throws(() => drawDisjointBags(queries, 0, 3), /positive integer/);

  assert.deepEqual(chooseHeldOut(10, 3, 1), chooseHeldOut(10, 3, 1));
  assert.equal(new Set(chooseHeldOut(10, 3, 1)).size, 3);
  assert.throws(() => chooseHeldOut(4, 4, 1), /at least one must stay/);
  assert.deepEqual([heldOutCount(3, 43), heldOutCount(0.25, 43), heldOutCount(0.001, 43)], [3, 11, 1]);
});

/** Unit vectors near one axis per class: perfectly separable by cosine. */
function clustered(labels: number[], dim: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  return labels.map((label) => {
    const v = Float32Array.from({ length: dim }, (_, d) => (d === label ? 1 : 0) + 0.15 * (random() - 0.5));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

test('the attribution evaluation: every bag size, mean and DeepSets, decorrelation and open-set AUROC (uncalibrated)', async (t) => {
  const encoder = await SetEncoder.open(path.join(repoRoot, 'tests', 'fixtures', 'set-encoder'), 'tiny-set-encoder');
  t.after(() => encoder.close());
  const names = ['a', 'b', 'c', 'd', 'e'];
  const labels = names.flatMap((_, c) => new Array<number>(10 + 60).fill(c));
  const embeddings = clustered(labels, 8, 11);
  const split = splitGallery(labels, names.length, 10);
  const resources: AttributionResources = { setEncoder: encoder, setEncoderNote: null, calibration: null, calibrationNote: 'no calibration' };
  const result = await evaluateAttribution(embeddings, labels, names, split, resources, { seed: 2, unknown: 2 });

  assert.deepEqual(result.rows.map((r) => [r.pooling, r.bagSize, r.bags]), [
    ['mean', 1, 300], ['deepsets', 1, 300], ['mean', 5, 60], ['deepsets', 5, 60],
    ['mean', 10, 30], ['deepsets', 10, 30], ['mean', 50, 5], ['deepsets', 50, 5],
  ]);
  const mean1 = result.rows[0]!;
  assert.deepEqual([mean1.identification!.accuracy, mean1.verification!.auc, mean1.verification!.eer], [1, 1, 0]);
  assert.deepEqual(mean1.identification!.confusion, names.map((_, t) => names.map((_, p) => (t === p ? 60 : 0))));
  assert.deepEqual(mean1.identification!.perClass[0], { generator: 'a', precision: 1, recall: 1, f1: 1, support: 60 });
  assert.deepEqual([mean1.verification!.same, mean1.verification!.different], [300, 1200]);
  assert.equal(mean1.verification!.cllrMin, 0, 'separated scores: a perfect monotone calibration exists');
  assert.ok(mean1.decorrelation!.meanOwn > 0.9 && mean1.decorrelation!.meanOther < 0.4);
  assert.deepEqual(result.comparison.map((c) => c.bagSize), [1, 5, 10, 50]);
  for (const c of result.comparison) {
    assert.equal(c.accuracy.delta, c.accuracy.deepsets! - c.accuracy.mean!);
    assert.match(c.summary, new RegExp(`^bags of ${c.bagSize}: `));
  }
  assert.deepEqual(result.setEncoder, { name: 'tiny-set-encoder', sha256: encoder.info.sha256 });

  const open = result.openSet!;
  assert.equal(open.heldOut.length, 2);
  assert.equal(open.galleryGenerators, 3);
  const single = open.rows[0]!;
  assert.deepEqual([single.knownBags, single.unknownBags, single.maxCosineAuroc], [180, 120, 1]);

  const again = await evaluateAttribution(embeddings, labels, names, split, resources, { seed: 2, unknown: 2 });
  assert.deepEqual(again, result, 'the same seed gives the same figures');
  const bare = await evaluateAttribution(embeddings, labels, names, split, { setEncoder: null, setEncoderNote: 'none here', calibration: null, calibrationNote: 'no calibration' }, { seed: 2 });
  assert.deepEqual(bare.rows.map((r) => r.pooling), ['mean', 'mean', 'mean', 'mean']);
  assert.ok(bare.rows.every((r) => r.verification !== null));
  assert.deepEqual([bare.openSet, bare.comparison, bare.notes], [null, [], ['DeepSets not evaluated: none here', 'no calibration']]);
});

test('docs/results/make-attribution.ts renders every section from a report, with the C_T slot marked', async () => {
  const { attributionResults } = await import('../../docs/results/make-attribution.ts');
  const names = ['a', 'b', 'c'];
  const labels = names.flatMap((_, c) => new Array<number>(10 + 10).fill(c));
  const embeddings = clustered(labels, 8, 5);
  const attribution = await evaluateAttribution(embeddings, labels, names, splitGallery(labels, 3, 10), { setEncoder: null, setEncoderNote: null, calibration: null, calibrationNote: 'no calibration' }, { seed: 0, unknown: 1 });
  const report = {
    folder: path.join(repoRoot, 'some-set'),
    model: { name: 'spectral-extractor-v1', sha256: 'a'.repeat(64), provider: 'cpu' },
    embeddingCache: { loadedFrom: null, savedTo: null },
    seed: 0,
    protocol: { gallerySize: 10, pairsEach: 5000, similarity: 'cosine', silhouetteDistance: '1 - cosine', daviesBouldinDistance: 'euclidean' },
    generators: names.map((name) => ({ name, images: 20, unreadable: 0, gallery: 10, queries: 10, correct: 10, silhouette: 0.5, note: null })),
    images: 60,
    ignoredFiles: 0,
    unreadable: [],
    identification: { queries: 30, accuracy: 1, macroF1: 1 },
    verification: null,
    clusters: null,
    attribution,
    notes: [],
  } as const;
  const markdown = attributionResults(structuredClone(report) as never, null);
  for (const heading of ['## 1. Single images', '## 2. Bags of images', '## 3. Calibration', '## 4. Open set', '## 5. Per-class', '## 6. C_T curves', '## Reproduce']) {
    assert.ok(markdown.includes(heading), heading);
  }
  assert.match(markdown, /<!-- SLOT: C_T curve matching/);
  assert.match(markdown, /evaluate some-set --seed 0 --unknown 1 --save-embeddings/);
  assert.match(markdown, /\| mean \| 5 \| 6 \| 100\.0 \|/);
});

test('the real-data rows: per condition and scheme, leave-one-out, calibrated as attribute would, with decisions closed and open', () => {
  const names = Array.from({ length: 7 }, (_, i) => `g${i}`);
  const counts = [40, 40, 30, 30, 20, 6, 4];
  const labels = counts.flatMap((n, c) => new Array<number>(n).fill(c));
  const embeddings = clustered(labels, 8, 21);
  const folder = (condition: string, compression: 'lossless' | 'jpeg-low'): ConditionedFolder => ({
    condition,
    generators: names,
    images: names.map((_, c) => labels.flatMap((l, i) => (l === c ? [{ file: `${c}-${i}.png`, embedding: embeddings[i]!, compression, minSide: 256 }] : []))),
  });
  const set = testCalibrationSet({ name: 'x', sha256: 'e'.repeat(64) });
  const result = evaluateReal([folder('as-published', 'lossless'), folder('jpeg-q50', 'jpeg-low')], set, { seed: 1 });
  assert.deepEqual(result.rows.map((r) => `${r.condition}/${r.pooling}/${r.bagSize}`), [
    'as-published/single/1', 'as-published/mean/5', 'as-published/mean/10', 'as-published/mean/50',
    'jpeg-q50/single/1', 'jpeg-q50/mean/5', 'jpeg-q50/mean/10', 'jpeg-q50/mean/50',
  ]);
  const single = result.rows[0]!;
  assert.equal(single.bags, labels.length, 'leave-one-out: every image is a query, the 4-image generator too');
  assert.equal(single.identification!.accuracy, 1);
  const c = single.calibrated!;
  assert.ok(c.cllr < 0.5 && c.outOfValidity === 0);
  const closed = c.closedSet;
  assert.ok(Math.abs(closed.correct + closed.wrong + closed.tied + closed.inconclusive + closed.rejected - 1) < 1e-9);
  assert.ok(closed.correct > 0.9, 'separable generators are attributed');
  assert.ok(c.openSet!.wrong < 0.05, 'left out of the gallery, a generator is not attributed to another');
  assert.equal(result.rows[3]!.note, 'no generator has 51 images');
  // Compression the calibration does not cover: no LR is stated (LR 1), every decision inconclusive.
  const low = result.rows[4]!.calibrated!;
  assert.deepEqual([low.outOfValidity, low.cllr, low.closedSet.inconclusive], [1, 1, 1]);
});
