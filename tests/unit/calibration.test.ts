// Score-to-LR calibration: logistic fit against scikit-learn (tests/fixtures/calibration, made by
// make_reference.py there), and the properties Cllr, PAV, Tippett data and the verbal scale must have.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { calibrationIsIntact, calibrationLog10Lr, fitCalibration } from '../../src-engine/calibration/calibration.ts';
import { cllr, cllrMin } from '../../src-engine/calibration/cllr.ts';
import { fitLogisticCalibration, logisticLog10Lr } from '../../src-engine/calibration/logistic-calibration.ts';
import { optimalLog10Lrs, poolAdjacentViolators } from '../../src-engine/calibration/pav.ts';
import { tippettCurve } from '../../src-engine/calibration/tippett.ts';
import { verbalEquivalent } from '../../src-engine/calibration/verbal-scale.ts';
import { repoRoot } from './helpers/repo-paths.ts';

const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'calibration', 'reference.json'), 'utf8')) as {
  same: number[];
  different: number[];
  fits: { prior: number; a: number; b: number }[];
  platt: { overlapping: { prior: number; a: number; b: number }[]; separated: { same: number[]; different: number[]; fits: { prior: number; a: number; b: number }[] } };
};
const { same, different } = reference;

const close = (actual: number, expected: number, what: string, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

test('logistic calibration matches scikit-learn’s unpenalised, prior-weighted fit', () => {
  for (const { prior, a, b } of reference.fits) {
    const fitted = fitLogisticCalibration(same, different, prior);
    close(fitted.a, a, `a at prior ${prior}`, 1e-6 * Math.abs(a));
    close(fitted.b, b, `b at prior ${prior}`, 1e-6 * Math.abs(b));
  }
});

test('with Platt’s smoothed targets the fit matches scikit-learn too, also on separated scores', () => {
  for (const { prior, a, b } of reference.platt.overlapping) {
    const fitted = fitLogisticCalibration(same, different, prior, true);
    close(fitted.a, a, `a at prior ${prior}`, 1e-6 * Math.abs(a));
    close(fitted.b, b, `b at prior ${prior}`, 1e-6 * Math.abs(b));
  }
  const separated = reference.platt.separated;
  for (const { prior, a, b } of separated.fits) {
    const fitted = fitLogisticCalibration(separated.same, separated.different, prior, true);
    close(fitted.a, a, 'a on separated scores', 1e-6 * Math.abs(a));
    close(fitted.b, b, 'b on separated scores', 1e-6 * Math.abs(b));
  }
  assert.throws(() => fitLogisticCalibration(separated.same, separated.different), /separated/);
  const calibration = fitCalibration(separated.same, separated.different, 'separated');
  assert.equal(calibration.method, 'logistic-platt');
  // The posterior odds stay bounded by what that many pairs can show (about N+ + 1 at prior 0.5).
  assert.ok(calibrationLog10Lr(calibration, 10) <= Math.log10(separated.same.length + 1) + 1);
});

test('the LR is monotone in the score and exactly 1 where the fitted logit equals the prior log-odds', () => {
  for (const prior of [0.5, 0.2]) {
    const parameters = fitLogisticCalibration(same, different, prior);
    const scores = Array.from({ length: 201 }, (_, i) => -0.5 + i * 0.01);
    const lrs = scores.map((score) => logisticLog10Lr(parameters, score));
    lrs.slice(1).forEach((lr, i) => assert.ok(lr >= lrs[i]!, `log LR falls between ${scores[i]} and ${scores[i + 1]}`));
    const neutralScore = (Math.log(prior / (1 - prior)) - parameters.b) / parameters.a;
    close(logisticLog10Lr(parameters, neutralScore), 0, 'log10 LR at the neutral score', 1e-12);
  }
  assert.throws(() => fitLogisticCalibration([0.9, 0.8], [0.1, 0.8]), /separated/);
  assert.throws(() => fitLogisticCalibration([0.9], []), /needs/);
});

test('Cllr: exactly 1 for LR = 1 everywhere, near 0 for well-separated LRs, infinite for confident errors', () => {
  assert.equal(cllr([0, 0, 0], [0, 0]), 1);
  assert.ok(cllr([8, 9, 10], [-8, -9]) < 1e-7);
  assert.equal(cllr([-Infinity], [0]), Infinity);
  // One same-source LR of 10 and one different-source LR of 1/10: log2(1.1) each.
  close(cllr([1], [-1]), Math.log2(1.1), 'symmetric pair', 1e-15);
  close(cllrMin([0.9, 0.8, 0.7], [0.1, 0.2]), 0, 'perfectly separated scores', 1e-15);
  // Scores that carry no information: the best monotone LR is 1 everywhere.
  close(cllrMin([0.5, 0.5], [0.5, 0.5, 0.5]), 1, 'tied scores', 1e-15);
});

test('PAV fits a non-decreasing sequence (pooling violators by weighted mean) and gives finite optimal LRs', () => {
  assert.deepEqual(poolAdjacentViolators([1, 3, 2, 4]), [1, 2.5, 2.5, 4]);
  assert.deepEqual(poolAdjacentViolators([3, 1], [1, 3]), [1.5, 1.5]);
  const noisy = Array.from({ length: 300 }, (_, i) => Math.sin(i * 12.9898) * 3 + i / 100);
  const fitted = poolAdjacentViolators(noisy);
  fitted.slice(1).forEach((value, i) => assert.ok(value >= fitted[i]!, `PAV output falls at ${i}`));
  close(fitted.reduce((s, x) => s + x, 0), noisy.reduce((s, x) => s + x, 0), 'PAV keeps the total', 1e-9);
  const optimal = optimalLog10Lrs(same, different);
  assert.ok([...optimal.same, ...optimal.different].every((x) => !Number.isNaN(x)));
  assert.ok(optimal.same.every((x) => x > -Infinity) && optimal.different.every((x) => x < Infinity));
  const calibrated = fitCalibration(same, different, 'reference pairs');
  assert.ok(calibrated.validation.cllrMin <= calibrated.validation.cllr, 'no calibration beats PAV on its own data');
});

test('Tippett data: share of each set with log10 LR at or above every observed threshold', () => {
  const curve = tippettCurve([2, 1, 1], [-1, 1]);
  assert.deepEqual(curve.thresholds, [-1, 1, 2]);
  assert.deepEqual(curve.sameAtLeast, [1, 1, 1 / 3]);
  assert.deepEqual(curve.differentAtLeast, [1, 0.5, 0]);
});

test('verbal scale follows the ENFSI bands, mirrored, with |log10 LR| < 1 inconclusive', () => {
  const strength = (x: number) => verbalEquivalent(x).strength;
  assert.deepEqual([0, 0.99, -0.99].map(strength), ['inconclusive', 'inconclusive', 'inconclusive']);
  assert.deepEqual([1, 2, 3, 4, 5.9, 6, 12].map(strength), ['moderate', 'moderately strong', 'strong', 'very strong', 'very strong', 'extremely strong', 'extremely strong']);
  assert.equal(verbalEquivalent(-3.5).favours, 'other-model');
  assert.equal(verbalEquivalent(-3.5).strength, 'strong');
  assert.equal(verbalEquivalent(0.5).favours, null);
  assert.match(verbalEquivalent(Infinity).wording, /extremely strong support for the proposition that the image was made by the candidate model/);
});

test('a calibration is a serialisable record whose id covers its parameters and training summary', () => {
  const calibration = fitCalibration(same, different, 'reference pairs', 0.5);
  const restored = JSON.parse(JSON.stringify(calibration)) as typeof calibration;
  assert.deepEqual(restored, calibration);
  assert.match(calibration.id, /^[0-9a-f]{64}$/);
  assert.ok(calibrationIsIntact(restored));
  assert.equal(fitCalibration(same, different, 'reference pairs', 0.5).id, calibration.id);
  assert.notEqual(fitCalibration(same, different, 'other pairs', 0.5).id, calibration.id);
  assert.ok(!calibrationIsIntact({ ...restored, parameters: { ...restored.parameters, b: restored.parameters.b + 1 } }));
  close(calibrationLog10Lr(restored, 0.7), logisticLog10Lr(calibration.parameters, 0.7), 'restored LR', 0);
  assert.deepEqual(calibration.training.scoreRange, [Math.min(...same, ...different), Math.max(...same, ...different)]);
  assert.ok(calibration.validation.cllr > 0 && calibration.validation.cllr < 1);
});
