// Our metric implementations against scikit-learn on the fixed inputs of
// tests/fixtures/metrics/reference.json (made by make_reference.py next to it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { accuracy, macroF1 } from '../../src-engine/metrics/classification-metrics.ts';
import { daviesBouldin, silhouetteSamples, silhouetteScore } from '../../src-engine/metrics/cluster-quality.ts';
import { rocAuc, verificationFigures } from '../../src-engine/metrics/verification-metrics.ts';
import { repoRoot } from './helpers/repo-paths.ts';

const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'metrics', 'reference.json'), 'utf8')) as {
  clusters: { vectors: number[][]; labels: number[]; silhouette_samples: number[]; silhouette: number; davies_bouldin: number };
  identification: { truth: number[]; predicted: number[]; accuracy: number; macro_f1: number };
  verification: { scores: number[]; positive: boolean[]; auc: number; eer: number; best_accuracy: number; best_threshold: number };
};

const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs scikit-learn ${expected}`);

test('accuracy and macro-F1 match scikit-learn (a class never predicted scores 0)', () => {
  const { truth, predicted } = reference.identification;
  close(accuracy(truth, predicted), reference.identification.accuracy, 'accuracy');
  close(macroF1(truth, predicted), reference.identification.macro_f1, 'macro-F1');
  assert.equal(macroF1([0, 1], [0, 1]), 1);
  assert.equal(macroF1([0, 0], [1, 1]), 0);
});

test('ROC AUC, EER and best accuracy match scikit-learn, with tied scores', () => {
  const { scores, positive } = reference.verification;
  const figures = verificationFigures(scores.filter((_, i) => positive[i]), scores.filter((_, i) => !positive[i]));
  close(rocAuc(scores, positive), reference.verification.auc, 'AUC');
  close(figures.auc, reference.verification.auc, 'AUC');
  close(figures.eer, reference.verification.eer, 'EER', 1e-9);
  close(figures.bestAccuracy, reference.verification.best_accuracy, 'best accuracy');
  close(figures.bestThreshold, reference.verification.best_threshold, 'best threshold');
  // Perfect separation: AUC 1, EER 0, every pair right.
  assert.deepEqual(verificationFigures([0.9, 0.8], [0.1]), { auc: 1, eer: 0, bestAccuracy: 1, bestThreshold: 0.8 });
  // All scores equal: chance.
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [true, false, true, false]), 0.5);
  assert.throws(() => verificationFigures([Number.NaN], [0]), /NaN/);
});

test('silhouette (per sample and mean) and Davies-Bouldin match scikit-learn', () => {
  const vectors = reference.clusters.vectors.map((v) => Float32Array.from(v));
  const { labels } = reference.clusters;
  silhouetteSamples(vectors, labels).forEach((s, i) => close(s, reference.clusters.silhouette_samples[i]!, `silhouette of sample ${i}`, 1e-6));
  close(silhouetteScore(vectors, labels), reference.clusters.silhouette, 'silhouette', 1e-6);
  close(daviesBouldin(vectors, labels), reference.clusters.davies_bouldin, 'Davies-Bouldin', 1e-6);
  assert.throws(() => silhouetteScore(vectors, labels.map(() => 0)), /at least two clusters/);
});
