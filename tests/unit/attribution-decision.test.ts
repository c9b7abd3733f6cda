// The open-set decision rule and calibrated LRs as properties over many seeded random draws
// (LR monotone in the score, exactly 1 where the evidence is neutral, decisions by the ±1 log10
// bands, near-ties, out-of-validity), the calibration set's file checks and entry choice (bag
// size, reference count, compression), leave-one-out scoring by hand, and ranking with its flags.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { attributeEvidence, type FingerprintedItem } from '../../src-engine/attribution/attribute-evidence.ts';
import type { AttributionGallery, GalleryModelFacts } from '../../src-engine/gallery/attribution-gallery.ts';
import { decide, DECISION_LOG10_LR, lrText } from '../../src-engine/calibration/decision.ts';
import { rankCandidates } from '../../src-engine/attribution/rank-candidates.ts';
import { meanPool } from '../../src-engine/calibration/bag-comparisons.ts';
import { calibrationLog10Lr, fitCalibration } from '../../src-engine/calibration/calibration.ts';
import { calibrationSetId, loadCalibrationSet, locateCalibration, sealCalibrationSet, selectEntry, validationGap, writeCalibrationSet, type CalibrationSet } from '../../src-engine/calibration/calibration-set.ts';
import { fitCalibrationEntry } from '../../src-engine/calibration/fit-entry.ts';
import { scoreLeaveBagOut, type ConditionedFolder } from '../../src-engine/calibration/leave-bag-out.ts';
import { cosine } from '../../src-engine/metrics/protocols.ts';
import { logisticLog10Lr } from '../../src-engine/calibration/logistic-calibration.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';
import { buildGalleryMatrix } from '../../src-engine/gallery/identify.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { normalScores, syntheticBags, testCalibrationSet } from './helpers/test-calibration.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const EXTRACTOR = { name: 'spectral-extractor-v1', sha256: 'e'.repeat(64) };
const only = (name: string, log10Lr: number) => decide({ candidates: [{ name, log10Lr }], openSetLog10Lr: null, subject: 'the image' });

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
    assert.equal(only('m', calibrationLog10Lr(calibration, Math.min(high, Math.max(low, neutral)))).kind === 'attributed', false);
  }
});

test('calibration fits 100,000+ comparisons (no argument-spreading limits)', () => {
  const calibration = fitCalibration(normalScores(3000, 0.7, 0.1, 1), normalScores(150_000, 0.3, 0.1, 2), 'large');
  assert.ok(calibration.parameters.a > 0 && calibration.training.differentCount === 150_000);
});

test('the decision rule: top log10 LR >= 1 attributes unless a runner-up is within a factor of 10, <= -1 rejects, between is inconclusive', () => {
  const random = mulberry32(7);
  for (let trial = 0; trial < 500; trial++) {
    const candidates = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => ({ name: `m${i}`, log10Lr: -4 + random() * 8 }));
    const ranked = [...candidates].sort((x, y) => y.log10Lr - x.log10Lr);
    const [top, second] = [ranked[0]!, ranked[1]];
    const decision = decide({ candidates, openSetLog10Lr: null, subject: 'the image' });
    assert.equal(decision.log10Lr, top.log10Lr);
    assert.equal(decision.candidate, top.name);
    const tied = top.log10Lr >= 1 && second !== undefined && top.log10Lr - second.log10Lr < 1;
    const expected = top.log10Lr >= DECISION_LOG10_LR ? (tied ? 'tied' : 'attributed') : top.log10Lr <= -DECISION_LOG10_LR ? 'no-known-model' : 'inconclusive';
    assert.equal(decision.kind, expected);
    assert.equal(decision.model, expected === 'attributed' ? top.name : null);
    if (expected === 'tied') {
      assert.deepEqual(decision.alsoSupported, ranked.slice(1).filter((c) => top.log10Lr - c.log10Lr < 1).map((c) => c.name));
      assert.doesNotMatch(decision.wording, /Attributed to/);
      assert.match(decision.wording, /does not tell these models apart/);
      for (const name of [top.name, ...decision.alsoSupported.slice(0, 4)]) assert.ok(decision.wording.includes(name));
    }
    assert.ok(decision.wording.includes(top.name) && decision.wording.includes(lrText(top.log10Lr)));
  }
  assert.equal(only('x', 1).kind, 'attributed', 'LR 10 exactly attributes');
  assert.equal(only('x', -1).kind, 'no-known-model', 'LR 1/10 exactly rejects');
  assert.equal(only('x', 0).kind, 'inconclusive', 'LR 1 is neutral');
  assert.match(only('x', -2.5).wording, /^No known model: .*LR 1\/320/);
  // The near-tie: LR 99 beside LR 94 is not an attribution.
  const near = decide({ candidates: [{ name: 'dalle2', log10Lr: Math.log10(99) }, { name: 'sdxl', log10Lr: Math.log10(94) }], openSetLog10Lr: null, subject: 'the image' });
  assert.equal(near.kind, 'tied');
  assert.match(near.wording, /^Not told apart: dalle2 \(LR 99\) is within a factor of 10 of sdxl \(LR 94\)/);
  assert.throws(() => decide({ candidates: [], openSetLog10Lr: null, subject: 'the image' }));
  assert.deepEqual([0, 2.53, -1.65, 4.2].map(lrText), ['1', '340', '1/45', '10^4.2']);
});

test('open set: a best match typical of unknown sources says "no known model"; evidence outside validity is inconclusive, saying why', () => {
  const strong = [{ name: 'a', log10Lr: 2 }, { name: 'b', log10Lr: 0.2 }];
  assert.equal(decide({ candidates: strong, openSetLog10Lr: -1.2, subject: 'the image' }).kind, 'no-known-model');
  assert.match(decide({ candidates: strong, openSetLog10Lr: -1.2, subject: 'the image' }).wording, /model the gallery does not hold/);
  // Attribution needs the open set not to favour an unknown source: above LR 1.
  assert.equal(decide({ candidates: strong, openSetLog10Lr: 0.5, subject: 'the image' }).kind, 'attributed');
  assert.equal(decide({ candidates: strong, openSetLog10Lr: -0.5, subject: 'the image' }).kind, 'inconclusive');
  assert.match(decide({ candidates: strong, openSetLog10Lr: -0.5, subject: 'the image' }).wording, /no more typical of its own models than of generators outside it/);
  // A calibration too thin to attribute on keeps the LR but not the attribution.
  const limited = decide({ candidates: strong, openSetLog10Lr: 0.5, attributionLimit: 'its calibration rests on 4 generators of the relevant population (at least 5 needed)', subject: 'the image' });
  assert.equal(limited.kind, 'inconclusive');
  assert.match(limited.wording, /supports? a \(LR 100\).*rests on 4 generators/);
  const outside = decide({ candidates: strong, openSetLog10Lr: null, outOfValidity: ['the calibration covers no JPEGs of estimated quality below 60'], subject: 'the image' });
  assert.equal(outside.kind, 'inconclusive');
  assert.deepEqual(outside.outOfValidity, ['the calibration covers no JPEGs of estimated quality below 60']);
  assert.match(outside.wording, /outside what the calibration was validated for \(the calibration covers no JPEGs of estimated quality below 60\)/);
});

test('a calibration set is refused when its content, a calibration, its version or the extractor does not match', (t) => {
  const dir = makeTempDir(t, 'modelprint-calibration');
  const file = path.join(dir, 'set.json');
  const set = testCalibrationSet(EXTRACTOR);
  assert.equal(calibrationSetId(set), set.id);
  writeCalibrationSet(file, set);
  const usable = loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null });
  assert.deepEqual(usable.deepsets, { usable: false, reason: 'the calibration has no DeepSets entries' });
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: 'f'.repeat(64), setEncoderSha256: null }), /fitted for extractor .* not the installed one/);

  const edited = structuredClone(set);
  edited.population.description = 'other generators';
  fs.writeFileSync(file, JSON.stringify(edited));
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /no longer matches its id/);
  const resealed = sealCalibrationSet({ ...structuredClone(set), entries: set.entries.map((e, i) => (i === 0 ? { ...e, calibration: { ...e.calibration, parameters: { ...e.calibration.parameters, b: 0 } } } : e)) });
  fs.writeFileSync(file, JSON.stringify(resealed));
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /single\/1 calibration does not match its id/);
  fs.writeFileSync(file, JSON.stringify({ ...set, version: 1 }));
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /format version 1.*rebuild it/);
  fs.writeFileSync(file, '{"format": "something else"}');
  assert.throws(() => loadCalibrationSet(file, { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /not a Modelprint calibration/);
  assert.throws(() => loadCalibrationSet(path.join(dir, 'missing.json'), { extractorSha256: EXTRACTOR.sha256, setEncoderSha256: null }), /modelprint calibrate/);
  assert.equal(locateCalibration('x', { MODELPRINT_CALIBRATION: file }), file);
});

test('the bundled calibration is intact, fitted for the installed extractor on real generators, and validated on others', () => {
  const installed = installedModel();
  const file = locateCalibration(installed.name, {});
  assert.ok(file, 'resources/calibration holds the calibration of the installed extractor');
  const { set } = loadCalibrationSet(file, { extractorSha256: installed.sha256, setEncoderSha256: null });
  const schemes = new Set(set.entries.map((e) => `${e.pooling}/${e.bagSize}`));
  for (const scheme of ['single/1', 'mean/5', 'mean/10']) assert.ok(schemes.has(scheme), `${scheme} is calibrated`);
  assert.ok(set.validationPopulation, 'validated on a population of its own');
  const calibrationNames = new Set(set.population.members.map((m) => m.name));
  assert.ok(set.validationPopulation.members.every((m) => !calibrationNames.has(m.name)), 'split by generator');
  // The entries the engine states LRs with are those whose validation (and held-out figures) beat stating nothing.
  const usable = set.entries.filter((e) => validationGap(set, e) === null);
  assert.ok(usable.some((e) => e.pooling === 'single'), 'single images have a usable entry');
  for (const entry of usable) assert.ok(entry.validation!.cllr < 1 && entry.heldOut!.cllr < 1, `${entry.pooling}/${entry.bagSize}/${entry.references}/${entry.compression}`);
});

function entryName(set: CalibrationSet, facts: Parameters<typeof selectEntry>[1]): string | null {
  const chosen = selectEntry(set, facts);
  return chosen && `${chosen.entry.pooling}/${chosen.entry.bagSize}/${chosen.entry.references}/${chosen.entry.compression}`;
}

test('entry choice: the largest calibrated bag size and reference count not above the evidence\'s, its compression, and the reasons when outside', () => {
  const set = testCalibrationSet(EXTRACTOR);
  const facts = { pooling: 'mean' as const, references: 10, compression: 'lossless' as const, minSide: 256 };
  assert.deepEqual(
    [1, 4, 5, 9, 10, 49, 50, 5000].map((size) => entryName(set, { ...facts, size })),
    ['single/1/10/lossless', 'single/1/10/lossless', 'mean/5/10/lossless', 'mean/5/10/lossless', 'mean/10/10/lossless', 'mean/10/10/lossless', 'mean/50/10/lossless', 'mean/50/10/lossless'],
  );
  // An entry of 3 references never gets the calibration of one of 10.
  assert.deepEqual([1, 2, 3, 9, 10, 40].map((references) => entryName(set, { ...facts, pooling: 'single', size: 1, references })), [
    'single/1/1/lossless',
    'single/1/1/lossless',
    'single/1/3/lossless',
    'single/1/3/lossless',
    'single/1/10/lossless',
    'single/1/10/lossless',
  ]);
  assert.equal(entryName(set, { ...facts, pooling: 'single', size: 1, compression: 'jpeg-mid' }), 'single/1/10/jpeg-mid');
  assert.deepEqual(selectEntry(set, { ...facts, pooling: 'single', size: 1 })!.outOfValidity, []);
  const low = selectEntry(set, { ...facts, pooling: 'single', size: 1, compression: 'jpeg-low', minSide: 32 })!;
  assert.deepEqual(low.outOfValidity, ['the calibration covers no JPEGs of estimated quality below 60', 'the evidence is 32 px on its smaller side, below the 64 px validated']);
  const unvalidated = structuredClone(set);
  unvalidated.entries.forEach((e) => (e.validation = null));
  assert.match(selectEntry(unvalidated, { ...facts, pooling: 'single', size: 1 })!.outOfValidity[0]!, /not validated on real generators for single images of losslessly stored images against entries of 10 reference images/);
  assert.equal(selectEntry(set, { ...facts, pooling: 'deepsets', size: 10 }), null);
});

test('a calibration entry carries held-out figures from generator folds, an open-set model and Tippett data', () => {
  const key = { pooling: 'single' as const, bagSize: 1, references: 10, compression: 'lossless' as const };
  const entry = fitCalibrationEntry(key, syntheticBags(key, 5), { folds: 4, seed: 0, description: 'synthetic' })!;
  assert.equal(entry.heldOut!.folds, 4);
  assert.ok(entry.heldOut!.cllr > 0 && entry.heldOut!.cllr < 1);
  assert.ok(entry.heldOut!.cllrMin <= entry.heldOut!.cllr + 1e-9);
  assert.ok(entry.openSet && entry.openSet.calibration.parameters.a > 0 && entry.openSet.gallerySize === 5);
  // Bounded by generator pairs: 12 generators give 132 ordered pairs, so no LR beyond 132.
  assert.ok(calibrationLog10Lr(entry.calibration, 10) <= Math.log10(132) + 1e-12);
  const { thresholds, sameAtLeast, differentAtLeast } = entry.tippett;
  assert.equal(sameAtLeast[0], 1);
  assert.equal(differentAtLeast[0], 1);
  thresholds.slice(1).forEach((x, i) => {
    assert.ok(Math.abs(x - thresholds[i]! - 0.1) < 1e-9);
    assert.ok(sameAtLeast[i + 1]! <= sameAtLeast[i]! && differentAtLeast[i + 1]! <= differentAtLeast[i]!);
  });
});

test('leave-one-out scoring against a hand computation: own entry from the other images, other entries from the first R', () => {
  const e = (...v: number[]) => Float32Array.from(v);
  const image = (file: string, embedding: Float32Array) => ({ file, embedding, compression: 'lossless' as const, minSide: 256 });
  const folder: ConditionedFolder = {
    condition: 'as-published',
    generators: ['g0', 'g1'],
    images: [
      [image('a', e(1, 0, 0)), image('b', e(0.8, 0.2, 0)), image('c', e(0.6, 0, 0.4))],
      [image('x', e(0, 1, 0)), image('y', e(0, 0.5, 0.5)), image('z', e(0.1, 0.9, 0))],
    ],
  };
  const bags = scoreLeaveBagOut(folder, folder, { bagSize: 1, references: 2, mode: 'fixed', seed: 0 });
  assert.equal(bags.length, 6, 'every image is a query once (3 images, entries of 2 others)');
  const first = bags[0]!;
  assert.equal(first.generator, 0);
  // Scores are cohort-normalised: the cosine with an entry minus the mean cosine with the others (here the one other).
  const own = cosine(e(1, 0, 0), meanPool([e(0.8, 0.2, 0), e(0.6, 0, 0.4)])); // own entry: the first 2 images other than the query
  const other = cosine(e(1, 0, 0), meanPool([e(0, 1, 0), e(0, 0.5, 0.5)])); // other entry: that generator's first 2 images
  assert.ok(Math.abs(first.scores[0]! - (own - other)) < 1e-6);
  assert.ok(Math.abs(first.scores[1]! - (other - own)) < 1e-6);
  const y = e(0, 0.5, 0.5);
  assert.ok(Math.abs(bags[4]!.scores[1]! - (cosine(y, meanPool([e(0, 1, 0), e(0.1, 0.9, 0)])) - cosine(y, meanPool([e(1, 0, 0), e(0.8, 0.2, 0)])))) < 1e-6);
  assert.deepEqual(first.references, [2, 2]);
  // Capped: a generator of 3 images gives entries of at most 2 others even when 10 are wanted.
  assert.deepEqual(scoreLeaveBagOut(folder, folder, { bagSize: 1, references: 10, mode: 'capped', seed: 0 })[0]!.references, [2, 3]);
  assert.equal(scoreLeaveBagOut(folder, folder, { bagSize: 1, references: 10, mode: 'fixed', seed: 0 }).length, 0, 'fixed: no entry of 10 exists');
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

const LOSSLESS = { compression: 'lossless' as const, minSide: 256, description: 'lossless PNG, 256 × 256' };
const evidence = (size: number) => ({ pooling: (size === 1 ? 'single' : 'mean') as 'single' | 'mean', size, compression: 'lossless' as const, minSide: 256 });

test('ranking: every candidate gets the LR of its own reference count, best first; weak references and reference overlap are flagged', () => {
  const set = testCalibrationSet(EXTRACTOR);
  const gallery = fakeGallery([
    { name: 'a', embedding: unit([1, 0, 0]), images: 12 },
    { name: 'b', embedding: unit([1, 1, 0]), images: 3, shas: ['1'.repeat(64)] },
    { name: 'c', embedding: unit([0, 0, 1]), images: 40 },
    { name: 'd', embedding: unit([0, 1, 1]), images: 40 },
    { name: 'e', embedding: unit([0, 1, 0.2]), images: 40 },
    { name: 'f', embedding: unit([0, 0.2, 1]), images: 40 },
  ]);
  const options = { top: 2, subject: 'the image', querySha256s: ['1'.repeat(64)], evidence: evidence(1), evidenceCondition: LOSSLESS.description };
  const ranked = rankCandidates(unit([1, 0.2, 0]), gallery.matrix, gallery.models, set, options);
  assert.deepEqual(ranked.candidates.map((c) => c.name), ['a', 'b']);
  const entryFor = (references: number) => selectEntry(set, { ...evidence(1), references })!.entry;
  // The LR is of the cohort-normalised score: the cosine minus the mean cosine with the other five models.
  const cosines = gallery.models.map((_, r) => cosine(unit([1, 0.2, 0]), gallery.matrix.rows.subarray(r * 3, r * 3 + 3)));
  const normalised = (r: number) => cosines[r]! - (cosines.reduce((a, b) => a + b, 0) - cosines[r]!) / (cosines.length - 1);
  assert.ok(Math.abs(ranked.candidates[0]!.log10Lr - calibrationLog10Lr(entryFor(12).calibration, normalised(0))) < 1e-5);
  assert.ok(Math.abs(ranked.candidates[1]!.log10Lr - calibrationLog10Lr(entryFor(3).calibration, normalised(1))) < 1e-5, 'b rests on 3 references: the 3-reference entry');
  assert.equal(ranked.candidates[1]!.calibrationId, entryFor(3).calibration.id);
  assert.deepEqual(ranked.candidates.map((c) => [c.weakReference, c.referenceOverlap, c.referenceImages]), [[false, false, 12], [true, true, 3]]);
  assert.equal(ranked.referenceOverlap, 'b');
  assert.equal(ranked.evidenceCondition, 'lossless PNG, 256 × 256');
  assert.match(ranked.decision.wording, /b's reference images include this very image: its match is not independent evidence/);
  assert.notEqual(ranked.decision.openSetLog10Lr, null, 'six models: the open set is assessed');
  // A query unlike every entry: no known model.
  const far = rankCandidates(unit([-1, -1, -1]), gallery.matrix, gallery.models, set, { ...options, top: 3, querySha256s: [] });
  assert.equal(far.decision.kind, 'no-known-model');
  assert.equal(far.referenceOverlap, null);
  // A gallery smaller than the open-set model's: not assessed, and said.
  const small = fakeGallery([{ name: 'a', embedding: unit([1, 0, 0]), images: 12 }, { name: 'c', embedding: unit([0, 0, 1]), images: 12 }]);
  const fewModels = rankCandidates(unit([0.6, 0.6, 0.6]), small.matrix, small.models, set, { ...options, querySha256s: [] });
  assert.equal(fewModels.decision.openSetLog10Lr, null);
});

test('set attribution pools the items by their mean, the set size and its worst compression picking the calibration', async () => {
  const set = testCalibrationSet(EXTRACTOR);
  const gallery = fakeGallery([
    { name: 'a', embedding: unit([1, 0, 0]), images: 12 },
    { name: 'b', embedding: unit([0, 1, 0]), images: 12 },
  ]);
  const items: FingerprintedItem[] = Array.from({ length: 7 }, (_, i) => ({
    itemId: i + 1,
    originalName: `${i}.png`,
    sha256: String(i).repeat(64),
    embedding: unit([1, 0.1 * i, 0.05]),
    condition: i === 3 ? { compression: 'jpeg-mid', minSide: 256, description: 'JPEG, estimated quality 75 (standard IJG tables), 256 × 256' } : LOSSLESS,
  }));
  const calibration = { set, file: 'x', fileSha256: '0'.repeat(64), deepsets: { usable: false as const, reason: 'the calibration has no DeepSets entries' } };
  const outcome = await attributeEvidence({ items, mode: 'set', top: 2, gallery, calibration, setEncoder: null });
  assert.equal(outcome.items.length, 7);
  const result = outcome.set!;
  assert.equal(result.size, 7);
  assert.equal(result.mean.bagSize, 5);
  assert.equal(result.mean.calibrationId, selectEntry(set, { pooling: 'mean', size: 7, references: 12, compression: 'jpeg-mid', minSide: 256 })!.entry.calibration.id, 'one JPEG makes the set a JPEG set');
  assert.match(result.mean.decision.wording, /the set of 7 images/);
  assert.equal(result.deepsets, null);
  assert.match(result.deepsetsNote!, /no DeepSets entries/);
  assert.deepEqual(new Set(outcome.used.map((u) => `${u.pooling}/${u.bagSize}/${u.compression}`)), new Set(['single/1/lossless', 'single/1/jpeg-mid', 'mean/5/jpeg-mid']));
  assert.equal((await attributeEvidence({ items, mode: 'items', top: 2, gallery, calibration, setEncoder: null })).set, null);
});
