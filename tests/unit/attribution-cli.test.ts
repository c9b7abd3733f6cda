// `modelprint attribute`, `verify-sets` and `calibrate` as an examiner runs them: a real process on
// a temporary library (gallery seeded from the bundled pack), --json output and exit codes. The
// calibration is one fitted on synthetic scores for the installed extractor, so nothing here
// depends on a measured figure; `calibrate` runs on small images of made-up generators.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadCalibrationSet } from '../../src-engine/calibration/calibration-set.ts';
import sharp, { type Sharp } from 'sharp';
import { installedModel } from './helpers/fingerprint-model.ts';
import { noiseImage, writeNoisePng } from './helpers/noise-images.ts';
import { generatedFixturesDir, nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { writeTestCalibration } from './helpers/test-calibration.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');
const model = installedModel();

function cli(home: string, env: Record<string, string>, ...args: string[]): { code: number; stdout: string; json: any } {
  const run = spawnSync(nodeBinary, [BIN, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const json = args.includes('--json') && run.stdout ? JSON.parse(run.stdout) : null;
  return { code: run.status ?? -1, stdout: run.stdout, json };
}

test('attribute records calibrated LRs and decisions per item and for a set; verify-sets compares two sets', async (t) => {
  const home = makeTempDir(t, 'modelprint-attribution-cli');
  const env = { MODELPRINT_CALIBRATION: path.join(home, 'calibration.json') };
  const calibration = writeTestCalibration(env.MODELPRINT_CALIBRATION, { name: model.name, sha256: model.sha256 });
  const run = (...args: string[]) => cli(home, env, ...args);
  assert.equal(run('case', 'create', '--number', 'ATT-1', '--title', 'Attribution', '--examiner', 'J. Doe').code, 0);
  const extra = path.join(home, 'extra');
  fs.mkdirSync(extra);
  await writeNoisePng(extra, 'noise.png', 200, 200, 4);
  assert.equal(run('import', '--case', 'ATT-1', path.join(generatedFixturesDir, 'sd15'), extra).code, 0);

  const all = run('attribute', '--case', 'ATT-1', '--top', '3', '--json');
  assert.equal(all.code, 0);
  const record = all.json.attribution;
  assert.equal(all.json.state, 'done');
  assert.equal(record.items.length, 4, 'unfingerprinted items are fingerprinted first');
  assert.equal(record.calibration.id, calibration.id);
  const byId = new Map(calibration.entries.map((e) => [e.calibration.id, e]));
  assert.ok(record.calibration.entries.every((e: { calibrationId: string; pooling: string }) => byId.has(e.calibrationId) && e.pooling === 'single'));
  const single = byId.get(record.items.find((i: { originalName: string }) => i.originalName === 'noise.png').calibrationId)!;
  for (const item of record.items) {
    assert.ok(['attributed', 'tied', 'inconclusive', 'no-known-model'].includes(item.decision.kind));
    assert.equal(item.calibrationId, item.candidates[0].calibrationId);
    assert.equal(item.candidates.length, 3);
    assert.equal(item.referenceOverlap, item.originalName === 'noise.png' ? null : 'sd15');
    assert.ok(item.candidates.every((c: { weakReference: boolean; verbal: { strength: string } }) => typeof c.weakReference === 'boolean' && c.verbal.strength));
  }

  const set = run('attribute', '--case', 'ATT-1', '--items', '1-3', '--set', '--json');
  assert.equal(set.code, 0);
  assert.deepEqual([set.json.attribution.set.size, set.json.attribution.set.mean.bagSize], [3, 1]);

  const text = run('attribute', '--case', 'ATT-1', '--items', '4');
  assert.equal(text.code, 0);
  assert.match(text.stdout, /Decision rule: top candidate log10 LR >= 1 attributed, <= -1 no known model/);
  assert.match(text.stdout, /(ATTRIBUTED to|NOT TOLD APART|INCONCLUSIVE|NO KNOWN MODEL)/);
  assert.match(text.stdout, new RegExp(`calibration ${single.calibration.id.slice(0, 12)} \\(single image; held-out Cllr ${single.heldOut!.cllr.toFixed(3)}`));
  assert.match(text.stdout, /Weak references \(< 10 reference images\): .*sdxl/);

  const audit = run('audit', 'list', '--case', 'ATT-1', '--json');
  const entries = Array.isArray(audit.json) ? audit.json : audit.json.entries;
  assert.equal(entries.filter((e: { action: string }) => e.action === 'attribution.completed').length, 3, 'every run writes an audit entry');

  const verified = run('verify-sets', '--case', 'ATT-1', '--a', '1', '--b', '2,3', '--json');
  assert.equal(verified.code, 0);
  assert.deepEqual([verified.json.sizeA, verified.json.sizeB, verified.json.bagSize], [1, 2, 1]);
  assert.ok(Number.isFinite(verified.json.log10Lr));
  assert.equal(run('verify-sets', '--case', 'ATT-1', '--a', '1').code, 2);
  assert.equal(run('verify-sets', '--case', 'ATT-1', '--a', '1', '--b', '1', '--json').code, 2);

  assert.equal(run('attribute', '--case', 'ATT-1', '--top', '0').code, 2);
  assert.equal(run('attribute', '--case', 'NOPE').code, 3);
  const refused = cli(home, { MODELPRINT_CALIBRATION: path.join(home, 'missing.json') }, 'attribute', '--case', 'ATT-1', '--json');
  assert.equal(refused.code, 3);
  assert.match(refused.json.error.message, /modelprint calibrate/);
});

/** Images of a made-up generator: seeded noise, processed its own way (blur, nearest or bilinear upsampling), as PNG. */
async function writeGenerator(dir: string, name: string, kind: number, count: number): Promise<void> {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  for (let i = 0; i < count; i++) {
    const seed = 1000 * kind + i + 1;
    let image: Sharp;
    if (kind % 3 === 0) image = noiseImage(160, 160, seed).blur(0.5 + kind / 4);
    else image = sharp(await noiseImage(80, 80, seed).png().toBuffer()).resize(160, 160, { kernel: kind % 3 === 1 ? 'nearest' : 'linear' }).sharpen({ sigma: 0.5 + kind / 6 });
    fs.writeFileSync(path.join(dir, name, `${String(i).padStart(3, '0')}.png`), await image.png().toBuffer());
  }
}

test('calibrate fits calibration v2 on one folder of generators and validates it on another', async (t) => {
  const dir = makeTempDir(t, 'modelprint-calibrate-cli');
  const [calibrationDir, validationDir] = [path.join(dir, 'calibration'), path.join(dir, 'validation')];
  for (let g = 0; g < 6; g++) await writeGenerator(calibrationDir, `c${g}`, g, 8);
  for (let g = 0; g < 6; g++) await writeGenerator(validationDir, `v${g}`, g + 6, 6);
  fs.writeFileSync(path.join(calibrationDir, 'manifest.json'), JSON.stringify({ about: 'Calibration population: six made-up generators.' }));

  const out = path.join(dir, 'out', 'calibration.json');
  const args = ['calibrate', calibrationDir, '--validation', validationDir, '--out', out, '--conditions', 'as-published', '--work', path.join(dir, 'work'), '--seed', '3'];
  const fitted = cli(dir, {}, ...args, '--json');
  assert.equal(fitted.code, 0, fitted.stdout);
  const usable = loadCalibrationSet(out, { extractorSha256: model.sha256, setEncoderSha256: null });
  assert.equal(usable.set.id, fitted.json.id);
  assert.equal(usable.set.population.description, 'Calibration population: six made-up generators.');
  assert.deepEqual(usable.set.population.members.map((m) => [m.name, m.images]), [0, 1, 2, 3, 4, 5].map((g) => [`c${g}`, 8]));
  assert.match(usable.set.validationPopulation!.description, /^Validation population: 6 generators \(v0, .*v5\), 36 images/);
  assert.ok(usable.set.entries.every((e) => e.compression === 'lossless' && e.pooling !== 'deepsets'));
  assert.ok(usable.set.entries.some((e) => e.pooling === 'single' && e.bagSize === 1 && e.validation !== null), 'single images are validated');
  const entry = usable.set.entries.find((e) => e.pooling === 'single' && e.references === 3)!;
  // Leave-one-out: each of the 8 images of 6 generators is a query once (entries of 3 others).
  assert.equal(entry.calibration.training.sameCount, 6 * 8);
  assert.deepEqual([entry.validation!.same, entry.validation!.generators], [6 * 6, 6]);
  assert.deepEqual([usable.set.protocol.seed, usable.set.protocol.folds, usable.set.protocol.conditions], [3, 4, ['as-published']]);
  assert.equal(usable.set.validity.minSide, 160);
  // A re-run reuses the work folder's fingerprints and gives the same calibration (but for its creation time).
  const again = cli(dir, {}, ...args.map((a) => (a === out ? `${out}.2` : a)), '--json');
  assert.equal(again.code, 0);
  assert.deepEqual({ ...again.json, id: '', createdUtc: '', file: '' }, { ...fitted.json, id: '', createdUtc: '', file: '' });

  assert.equal(cli(dir, {}, 'calibrate', calibrationDir).code, 2, '--out is required');
  assert.equal(cli(dir, {}, 'calibrate', path.join(dir, 'nope'), '--out', out).code, 2);
  assert.equal(cli(dir, {}, 'calibrate', calibrationDir, '--out', out, '--conditions', 'jpeg-q75').code, 2, 'the published references are always a condition');
});
