import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { evaluateFolder } from '../../src-engine/evaluation/evaluate-folder.ts';
import { formatEvaluation } from '../../src-engine/evaluation/evaluation-summary.ts';
import { identify, splitGallery, verify } from '../../src-engine/metrics/protocols.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';
import { FingerprintService } from '../../src-engine/fingerprint/fingerprint-service.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { noiseImage } from './helpers/noise-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const labelsOf = (sizes: number[]) => sizes.flatMap((n, label) => new Array<number>(n).fill(label));

test('the gallery takes the first 10 images per generator, or all but one when there are 10 or fewer', () => {
  const labels = labelsOf([15, 11, 10, 2, 1]);
  const split = splitGallery(labels, 5, 10);
  assert.deepEqual(split.gallery.map((g) => g.length), [10, 10, 9, 1, 1]);
  assert.equal(split.queries.length, 5 + 1 + 1 + 1 + 0);
  split.gallery.forEach((members, label) => assert.ok(members.every((i) => labels[i] === label)));
  assert.ok(split.queries.every((i) => !split.gallery.flat().includes(i)));
  assert.deepEqual(split.gallery[0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'file-name order, as training/evaluate.py');
});

/** Unit vectors near one axis per class: perfectly separable by cosine. */
function clusteredEmbeddings(labels: number[], dim = 8): Float32Array[] {
  const random = mulberry32(3);
  return labels.map((label) => {
    const v = Float32Array.from({ length: dim }, (_, d) => (d === label ? 1 : 0) + 0.1 * (random() - 0.5));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

test('identification and verification are perfect on separable embeddings and count what they use', () => {
  const labels = labelsOf([14, 12, 3]);
  const embeddings = clusteredEmbeddings(labels);
  const result = identify(embeddings, labels, splitGallery(labels, 3, 10));
  assert.deepEqual([result.queries, result.accuracy, result.macroF1], [4 + 2 + 1, 1, 1]);
  assert.deepEqual(result.perClass, [{ queries: 4, correct: 4 }, { queries: 2, correct: 2 }, { queries: 1, correct: 1 }]);
  const verification = verify(embeddings, labels, 3, 500, mulberry32(1))!;
  assert.deepEqual([verification.samePairs, verification.differentPairs, verification.auc, verification.eer, verification.bestAccuracy], [500, 500, 1, 0, 1]);
  assert.equal(verification.distinctSamePairs, 91 + 66 + 3);
  assert.equal(verify(embeddings.slice(0, 14), labels.slice(0, 14), 1, 10, mulberry32(1)), null, 'one generator: no different pairs');
});

test('evaluate fingerprints a folder of generator folders and reports every protocol, reproducibly', async (t) => {
  const dir = makeTempDir(t, 'modelprint-evaluate');
  const generators = { 'gen-a': 12, 'gen-b': 4, 'gen-c': 1 };
  let seed = 0;
  for (const [name, count] of Object.entries(generators)) {
    fs.mkdirSync(path.join(dir, name));
    for (let i = 0; i < count; i++) {
      // Each "generator" leaves its own trace: a different nearest-neighbour upsampling factor.
      const factor = name === 'gen-a' ? 2 : name === 'gen-b' ? 4 : 1;
      const png = await noiseImage(144 / factor, 144 / factor, ++seed).resize(144, 144, { kernel: 'nearest' }).png().toBuffer();
      fs.writeFileSync(path.join(dir, name, `${String(i).padStart(3, '0')}.png`), png);
    }
  }
  fs.writeFileSync(path.join(dir, 'gen-b', 'notes.txt'), 'not an image');
  fs.writeFileSync(path.join(dir, 'gen-b', 'broken.png'), 'not a png either');
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');

  const service = new FingerprintService({ modelsDir: path.dirname(installedModel().onnxPath) });
  t.after(() => service.close());
  const report = await evaluateFolder(dir, service, { seed: 5, pairsEach: 200 });
  assert.deepEqual(
    report.generators.map((g) => [g.name, g.images, g.unreadable, g.gallery, g.queries]),
    [['gen-a', 12, 0, 10, 2], ['gen-b', 4, 1, 3, 1], ['gen-c', 1, 0, 1, 0]],
  );
  assert.match(report.generators[1]!.note!, /fewer than 11 images: gallery of 3/);
  assert.match(report.generators[2]!.note!, /no query/);
  assert.deepEqual([report.images, report.ignoredFiles, report.unreadable.map((u) => u.file)], [17, 1, [path.join('gen-b', 'broken.png')]]);
  assert.equal(report.identification!.queries, 3);
  assert.deepEqual([report.verification!.samePairs, report.verification!.differentPairs], [200, 200]);
  for (const value of [report.identification!.accuracy, report.verification!.auc, report.verification!.eer, report.clusters!.silhouette, report.clusters!.daviesBouldin]) {
    assert.ok(Number.isFinite(value));
  }
  assert.equal(report.model.sha256, installedModel().sha256);
  assert.deepEqual(await evaluateFolder(dir, service, { seed: 5, pairsEach: 200 }), report, 'the same seed gives the same report');
  const summary = formatEvaluation(report);
  assert.match(summary, /1:N identification/);
  assert.match(summary, /AUC \d\.\d{3}\s+EER/);
  assert.match(summary, /unreadable: gen-b\/broken\.png/);
});
