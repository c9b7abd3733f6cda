// The open-set decision rule and calibrated LRs as properties over many seeded random draws
// (LR monotone in the score, exactly 1 where the evidence is neutral, decisions by the ±1 log10
// bands), the calibration set's file checks and bag-size choice, and ranking with its flags.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { attributeEvidence, type FingerprintedItem } from '../../src-engine/attribution/attribute-evidence.ts';
import type { AttributionGallery, GalleryModelFacts } from '../../src-engine/attribution/attribution-gallery.ts';
import { decide, DECISION_LOG10_LR, lrText } from '../../src-engine/attribution/decision.ts';
import { rankCandidates } from '../../src-engine/attribution/rank-candidates.ts';
import { compareBags, meanPool } from '../../src-engine/calibration/bag-comparisons.ts';
import { calibrationLog10Lr, fitCalibration } from '../../src-engine/calibration/calibration.ts';
import { calibrationFor, calibrationSetId, loadCalibrationSet, locateCalibration, sealCalibrationSet, writeCalibrationSet } from '../../src-engine/calibration/calibration-set.ts';
import { fitCalibrationEntry } from '../../src-engine/calibration/fit-entry.ts';
import { logisticLog10Lr } from '../../src-engine/calibration/logistic-calibration.ts';
import { mulberry32 } from '../../src-engine/evaluation/seeded-random.ts';
import { buildGalleryMatrix } from '../../src-engine/gallery/identify.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { normalScores, syntheticComparisons, testCalibrationSet } from './helpers/test-calibration.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const EXTRACTOR = { name: 'spectral-extractor-v1', sha256: 'e'.repeat(64) };
const ENCODER = { name: 'set-encoder-v1', sha256: 'd'.repeat(64) };

test('calibrated LRs rise with the score, are exactly 1 at the neutral score, do not extrapolate and stay within the data-size bounds', () => {
  for (let trial = 0; trial < 40; trial++) {
    const random = mulberry32(trial);
    const separation = 0.1 + random() * 0.6;
    const same = normalScores(50 + Math.floor(random() * 300), 0.3 + separation, 0.05 + random() * 0.2, 2 * trial);
    const different = normalScores(50 + Math.floor(random() * 3000), 0.3, 0.05 + random() * 0.2, 2 * trial + 1);
    const calibration = fitCalibration(same, different, `trial ${trial}`, 0.05 + random() * 0.9);
    const { a, b, prior } = calibration.parameters;
    assert.ok(a > 0, 'a higher score is evidence for the same source');
    const [low, high] = calibration.training.scoreRange;
    const scores = Array.from({ length: 400 }, () => low - 0.5 + random() * (high - low + 1)).sort((x, y) => x - y);
    const lrs = scores.map((s) => calibrationLog10Lr(calibration, s));
    lrs.slice(1).forEach((lr, i) => assert.ok(lr >= lrs[i]!, `trial ${trial}: LR falls between scores ${scores[i]} and ${scores[i + 1]}`));
    // Neutral: the fitted posterior log-odds equal the prior log-odds.
    const neutral = (Math.log(prior / (1 - prior)) - b) / a;
    if (neutral > low && neutral < high) assert.ok(Math.abs(calibrationLog10Lr(calibration, neutral)) < 1e-9, `trial ${trial}: LR ${calibrationLog10Lr(calibration, neutral)} at the neutral score`);
    const bounded = (x: number) => Math.min(Math.log10(different.length), Math.max(-Math.log10(same.length), x));
    assert.equal(calibrationLog10Lr(calibration, high + 5), bounded(logisticLog10Lr(calibration.parameters, high)), 'clamped above the training range');
    assert.equal(calibrationLog10Lr(calibration, low - 5), bounded(logisticLog10Lr(calibration.parameters, low)), 'clamped below the training range');
    assert.ok(lrs.every((x) => x <= Math.log10(different.length) && x >= -Math.log10(same.length)), 'no LR beyond what the pair counts can show');
    assert.equal(decide([{ name: 'm', log10Lr: calibrationLog10Lr(calibration, Math.min(high, Math.max(low, neutral))) }], 'the image').kind === 'attributed', false);
  }
});

test('calibration fits 100,000+ comparisons (no argument-spreading limits)', () => {
  const calibration = fitCalibration(normalScores(3000, 0.7, 0.1, 1), normalScores(150_000, 0.3, 0.1, 2), 'large');
  assert.ok(calibration.parameters.a > 0 && calibration.training.differentCount === 150_000);
});

test('the decision rule: top log10 LR >= 1 attributes, <= -1 rejects, between is inconclusive', () => {
  const random = mulberry32(7);
  for (let trial = 0; trial < 500; trial++) {
    const ranked = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => ({ name: `m${i}`, log10Lr: -4 + random() * 8 })).sort((x, y) => y.log10Lr - x.log10Lr);
    const top = ranked[0]!;
    const decision = decide(ranked, 'the image');
    assert.equal(decision.log10Lr, top.log10Lr);
    assert.equal(decision.candidate, top.name);
    const expected = top.log10Lr >= DECISION_LOG10_LR ? 'attributed' : top.log10Lr <= -DECISION_LOG10_LR ? 'no-known-model' : 'inconclusive';
    assert.equal(decision.kind, expected);
    assert.equal(decision.model, expected === 'attributed' ? top.name : null);
    assert.deepEqual(decision.alsoSupported, expected === 'attributed' ? ranked.slice(1).filter((c) => c.log10Lr >= 1).map((c) => c.name) : []);
    assert.ok(decision.wording.includes(top.name) && decision.wording.includes(lrText(top.log10Lr)));
  }
  assert.equal(decide([{ name: 'x', log10Lr: 1 }], 'the image').kind, 'attributed', 'LR 10 exactly attributes');
  assert.equal(decide([{ name: 'x', log10Lr: -1 }], 'the image').kind, 'no-known-model', 'LR 1/10 exactly rejects');
  assert.equal(decide([{ name: 'x', log10Lr: 0 }], 'the image').kind, 'inconclusive', 'LR 1 is neutral');
  assert.match(decide([{ name: 'x', log10Lr: -2.5 }], 'the image').wording, /^No known model: .*LR 1\/320/);
  assert.throws(() => decide([], 'the image'));
  assert.deepEqual([0, 2.53, -1.65, 4.2].map(lrText), ['1', '340', '1/45', '10^4.2']);
});

test('a calibration set is refused when its content, a calibration or the extractor does not match', (t) => {
  const dir = makeTempDir(t, 'modelprint-calibration');
  const file = path.join(dir, 'set.json');
  const set = testCalibrationSet(EXTRACTOR, ENCODER);
  assert.equal(calibrationSetId(set), set.id);
  writeCalibrationSet(file, set);
  const usable = loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: ENCODER.sha256 });
  assert.deepEqual(usable.deepsets, { usable: true });
  assert.deepEqual(loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }).deepsets, { usable: false, reason: 'no set encoder is installed' });
  assert.match((loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: 'f'.repeat(64) }).deepsets as { reason: string }).reason, /not the one the calibration was fitted with/);
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: 'f'.repeat(64), setEncoderSha256: null }), /fitted for extractor .* not the installed one/);

  const edited = structuredClone(set);
  edited.data.description = 'other data';
  fs.writeFileSync(file, JSON.stringify(edited));
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /no longer matches its id/);
  const resealed = sealCalibrationSet({ ...structuredClone(set), entries: set.entries.map((e, i) => (i === 0 ? { ...e, calibration: { ...e.calibration, parameters: { ...e.calibration.parameters, b: 0 } } } : e)) });
  fs.writeFileSync(file, JSON.stringify(resealed));
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /single\/1 calibration does not match its id/);
  fs.writeFileSync(file, '{"format": "something else"}');
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /not a Modelprint calibration/);
  assert.throws(() => loadCalibrationSet(path.join(dir, 'missing.json'), { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /modelprint calibrate/);
  assert.equal(locateCalibration('x', { MODELPRINT_CALIBRATION: file }), file);
});

test('the bundled calibration is intact and fitted for the installed extractor', () => {
  const installed = installedModel();
  const file = locateCalibration(installed.name, {});
  assert.ok(file, 'resources/calibration holds the calibration of the installed extractor');
  const { set } = loadCalibrationSet(file, { extractorSha256: installed.sha256, setEncoderSha256: null });
  const schemes = set.entries.map((e) => `${e.pooling}/${e.bagSize}`);
  for (const scheme of ['single/1', 'mean/5', 'mean/10', 'mean/50']) assert.ok(schemes.includes(scheme), `${scheme} is calibrated`);
  assert.match(set.data.manifestSha256 ?? '', /^[0-9a-f]{64}$/, 'the data set is pinned by its manifest');
  for (const entry of set.entries) assert.ok(entry.heldOut.cllr < 1, `${entry.pooling}/${entry.bagSize} beats an uninformative system`);
});

test('a set of n images uses the largest calibrated bag size not above n', () => {
  const set = testCalibrationSet(EXTRACTOR, ENCODER);
  const pick = (pooling: 'single' | 'mean' | 'deepsets', n: number) => {
    const entry = calibrationFor(set, pooling, n);
    return entry && `${entry.pooling}/${entry.bagSize}`;
  };
  assert.deepEqual([1, 4, 5, 9, 10, 49, 50, 5000].map((n) => pick('mean', n)), ['single/1', 'single/1', 'mean/5', 'mean/5', 'mean/10', 'mean/10', 'mean/50', 'mean/50']);
  assert.deepEqual([1, 4, 5, 60].map((n) => pick('deepsets', n)), ['deepsets/1', 'deepsets/1', 'deepsets/5', 'deepsets/50']);
  assert.equal(calibrationFor(testCalibrationSet(EXTRACTOR), 'deepsets', 10), null);
});

test('a calibration entry carries held-out figures from generator folds and Tippett data', () => {
  const entry = fitCalibrationEntry('single', 1, syntheticComparisons(1, 5), 'synthetic', 4);
  assert.equal(entry.heldOut.folds, 4);
  assert.ok(entry.heldOut.cllr > 0 && entry.heldOut.cllr < 1);
  assert.ok(entry.heldOut.cllrMin <= entry.heldOut.cllr + 1e-9);
  const { thresholds, sameAtLeast, differentAtLeast } = entry.tippett;
  assert.equal(sameAtLeast[0], 1);
  assert.equal(differentAtLeast[0], 1);
  thresholds.slice(1).forEach((x, i) => {
    assert.ok(Math.abs(x - thresholds[i]! - 0.1) < 1e-9);
    assert.ok(sameAtLeast[i + 1]! <= sameAtLeast[i]! && differentAtLeast[i + 1]! <= differentAtLeast[i]!);
  });
});

test('bag comparisons: disjoint seeded bags, one same-source and G-1 different-source scores each, identical across poolings', async () => {
  const random = mulberry32(3);
  const data = Array.from({ length: 4 }, (_, g) => Array.from({ length: 10 + 12 * (g + 1) }, () => Float32Array.from({ length: 6 }, (_, d) => (d === g ? 1 : 0) + random())));
  const mean = async (bag: readonly Float32Array[]) => meanPool(bag);
  const bags = await compareBags(data, mean, 5, { galleryImages: 10, seed: 1 });
  const perGenerator = data.map((images) => Math.floor((images.length - 10) / 5));
  assert.equal(bags.same.length, perGenerator.reduce((a, b) => a + b));
  assert.equal(bags.different.length, 3 * bags.same.length);
  assert.deepEqual(bags.skipped, []);
  const scaled = await compareBags(data, async (bag) => meanPool(bag).map((x) => 2 * x), 5, { galleryImages: 10, seed: 1 });
  assert.deepEqual(scaled.same.map((x) => x.toFixed(6)), bags.same.map((x) => x.toFixed(6)), 'the same bags whatever the pooling');
  assert.deepEqual((await compareBags(data, mean, 50, { galleryImages: 10, seed: 1 })).skipped, [0, 1, 2, 3]);
});

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

function fakeGallery(models: Array<{ name: string; embedding: Float32Array; images: number; shas?: string[] }>): AttributionGallery {
  const facts = models.map(
    (m): GalleryModelFacts => ({
      name: m.name,
      family: `${m.name}-family`,
      imageCount: m.images,
      weakReference: m.images < 10,
      referenceSha256s: new Set(m.shas ?? []),
      embeddings: () => Array.from({ length: m.images }, () => m.embedding),
    }),
  );
  return {
    extractorSha256: EXTRACTOR.sha256,
    matrix: buildGalleryMatrix(models.map((m, i) => ({ modelId: i + 1, name: m.name, family: `${m.name}-family`, embedding: m.embedding }))),
    models: facts,
    excluded: [],
    sha256: '0'.repeat(64),
  };
}

test('ranking: every candidate gets its calibrated LR, best first; weak references and reference overlap are flagged', () => {
  const set = testCalibrationSet(EXTRACTOR);
  const single = calibrationFor(set, 'single', 1)!.calibration;
  const gallery = fakeGallery([
    { name: 'a', embedding: unit([1, 0, 0]), images: 12 },
    { name: 'b', embedding: unit([1, 1, 0]), images: 3, shas: ['1'.repeat(64)] },
    { name: 'c', embedding: unit([0, 0, 1]), images: 40 },
  ]);
  const ranked = rankCandidates(unit([1, 0.2, 0]), gallery.matrix, gallery.models, single, { top: 2, subject: 'the image', querySha256s: ['1'.repeat(64)] });
  assert.deepEqual(ranked.candidates.map((c) => c.name), ['a', 'b']);
  assert.ok(ranked.candidates[0]!.score > ranked.candidates[1]!.score && ranked.candidates[0]!.log10Lr >= ranked.candidates[1]!.log10Lr);
  ranked.candidates.forEach((c) => assert.equal(c.log10Lr, calibrationLog10Lr(single, c.score)));
  assert.deepEqual(ranked.candidates.map((c) => [c.weakReference, c.referenceOverlap, c.referenceImages]), [[false, false, 12], [true, true, 3]]);
  assert.equal(ranked.referenceOverlap, 'b');
  assert.equal(ranked.decision.kind, 'attributed');
  assert.equal(ranked.decision.model, 'a');
  assert.match(ranked.decision.wording, /b's reference images include this very image: its match is not independent evidence/);
  // A query unlike every entry: no known model.
  const far = rankCandidates(unit([0, -1, -0.2]), gallery.matrix, gallery.models, single, { top: 3, subject: 'the image', querySha256s: [] });
  assert.equal(far.decision.kind, 'no-known-model');
  assert.equal(far.referenceOverlap, null);
});

test('set attribution pools the items by their mean and by DeepSets, the set size picking each calibration', async () => {
  const set = testCalibrationSet(EXTRACTOR, ENCODER);
  const gallery = fakeGallery([
    { name: 'a', embedding: unit([1, 0, 0]), images: 12 },
    { name: 'b', embedding: unit([0, 1, 0]), images: 12 },
  ]);
  const items: FingerprintedItem[] = Array.from({ length: 7 }, (_, i) => ({ itemId: i + 1, originalName: `${i}.png`, sha256: String(i).repeat(64), embedding: unit([1, 0.1 * i, 0.05]) }));
  const calibration = { set, file: 'x', fileSha256: '0'.repeat(64), deepsets: { usable: true as const } };
  const encoder = { info: { ...ENCODER, input: 'embeddings', output: 'set_fingerprint', dim: 3 }, encode: async (bag: readonly ArrayLike<number>[]) => meanPool(bag.map((e) => Float32Array.from(e))) };
  const outcome = await attributeEvidence({ items, mode: 'set', top: 2, gallery, calibration, setEncoder: encoder });
  assert.equal(outcome.items.length, 7);
  const result = outcome.set!;
  assert.equal(result.size, 7);
  assert.equal(result.mean.bagSize, 5);
  assert.equal(result.mean.calibrationId, calibrationFor(set, 'mean', 7)!.calibration.id);
  assert.equal(result.deepsets?.calibrationId, calibrationFor(set, 'deepsets', 7)!.calibration.id);
  assert.equal(result.deepsetsNote, null);
  assert.match(result.mean.decision.wording, /the set of 7 images/);
  assert.deepEqual(new Set(outcome.used.map((u) => `${u.pooling}/${u.bagSize}`)), new Set(['single/1', 'mean/5', 'deepsets/5']));

  const withoutEncoder = await attributeEvidence({ items, mode: 'set', top: 2, gallery, calibration: { ...calibration, deepsets: { usable: false, reason: 'no set encoder is installed' } }, setEncoder: null });
  assert.equal(withoutEncoder.set!.deepsets, null);
  assert.match(withoutEncoder.set!.deepsetsNote!, /no set encoder is installed/);
  assert.equal((await attributeEvidence({ items, mode: 'items', top: 2, gallery, calibration, setEncoder: encoder })).set, null);
});
