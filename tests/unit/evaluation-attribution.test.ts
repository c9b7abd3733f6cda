// The attribution figures of `modelprint evaluate`: new metrics against scikit-learn / numpy on
// tests/fixtures/metrics/attribution-reference.json (make_attribution_reference.py), the bag
// drawing, and the whole evaluation on separable embeddings with a calibration and a set encoder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { Calibration } from '../../src-engine/calibration/calibration.ts';
import { calibrationId } from '../../src-engine/calibration/calibration.ts';
import type { CalibrationEntry, CalibrationSet, UsableCalibration } from '../../src-engine/calibration/calibration-set.ts';
import { evaluateAttribution, heldOutCount, type AttributionResources } from '../../src-engine/evaluation/attribution-evaluation.ts';
import { chooseHeldOut, drawDisjointBags } from '../../src-engine/evaluation/bags.ts';
import { confusionMatrix, macroF1, perClassScores } from '../../src-engine/evaluation/classification-metrics.ts';
import { decorrelation } from '../../src-engine/evaluation/decorrelation.ts';
import { splitGallery } from '../../src-engine/evaluation/protocols.ts';
import { mulberry32 } from '../../src-engine/evaluation/seeded-random.ts';
import { rocAuc } from '../../src-engine/evaluation/verification-metrics.ts';
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

/** A calibration set whose every entry maps cosine s to log10 LR (20 s - 10) / ln 10: s > 0.62 attributes, s < 0.38 rejects. */
function steepCalibration(setEncoderSha256: string): UsableCalibration {
  const fitted = { method: 'logistic-platt' as const, parameters: { a: 20, b: -10, prior: 0.5 }, training: { description: 'test', sameCount: 1e6, differentCount: 1e6, scoreRange: [-1, 1] as [number, number] } };
  const calibration: Calibration = { id: calibrationId(fitted), ...fitted, validation: { cllr: 0, cllrMin: 0, sameMisleadingRate: 0, differentMisleadingRate: 0 } };
  const entry = (pooling: CalibrationEntry['pooling'], bagSize: number): CalibrationEntry => ({
    pooling,
    bagSize,
    calibration,
    heldOut: { ...calibration.validation, folds: 2 },
    tippett: { thresholds: [], sameAtLeast: [], differentAtLeast: [] },
  });
  const set = {
    id: '0'.repeat(64),
    setEncoder: { name: 'tiny-set-encoder', sha256: setEncoderSha256 },
    data: { description: 'synthetic' },
    entries: [entry('single', 1), entry('mean', 5), entry('mean', 10), entry('deepsets', 1), entry('deepsets', 10)],
  } as unknown as CalibrationSet;
  return { set, file: 'test.calibration.json', fileSha256: '1'.repeat(64), deepsets: { usable: true } };
}

test('the attribution evaluation: every bag size, mean and DeepSets, calibrated Cllr, decorrelation and open-set decisions', async (t) => {
  const encoder = await SetEncoder.open(path.join(repoRoot, 'tests', 'fixtures', 'set-encoder'), 'tiny-set-encoder');
  t.after(() => encoder.close());
  const names = ['a', 'b', 'c', 'd', 'e'];
  const labels = names.flatMap((_, c) => new Array<number>(10 + 60).fill(c));
  const embeddings = clustered(labels, 8, 11);
  const split = splitGallery(labels, names.length, 10);
  const resources: AttributionResources = { setEncoder: encoder, setEncoderNote: null, calibration: steepCalibration(encoder.info.sha256), calibrationNote: null };
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
  assert.deepEqual(mean1.calibrated!.calibration.pooling, 'single', 'bags of one take the single-image calibration');
  assert.ok(mean1.calibrated!.cllr < 0.05);
  assert.ok(mean1.decorrelation!.meanOwn > 0.9 && mean1.decorrelation!.meanOther < 0.4);
  // DeepSets bags of 5 fall back to the entry for bags of 1 (the largest not above 5), and say so.
  assert.match(result.rows[3]!.note!, /deepsets entry for bags of 1/);
  assert.deepEqual([result.rows[6]!.calibrated!.calibration.bagSize, result.rows[6]!.note], [10, 'calibrated with the mean entry for bags of 10 (the largest not above 50)']);
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
  assert.deepEqual(single.decisions!.known, { correct: 1, wrong: 0, inconclusive: 0, rejected: 0 });
  assert.deepEqual(single.decisions!.unknown, { rejected: 1, inconclusive: 0, attributed: 0 });

  const again = await evaluateAttribution(embeddings, labels, names, split, resources, { seed: 2, unknown: 2 });
  assert.deepEqual(again, result, 'the same seed gives the same figures');
  const bare = await evaluateAttribution(embeddings, labels, names, split, { setEncoder: null, setEncoderNote: 'none here', calibration: null, calibrationNote: 'no calibration' }, { seed: 2 });
  assert.deepEqual(bare.rows.map((r) => r.pooling), ['mean', 'mean', 'mean', 'mean']);
  assert.ok(bare.rows.every((r) => r.calibrated === null && r.verification !== null));
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
