// `modelprint attribute`, `verify-sets` and `calibrate` as an examiner runs them: a real process on
// a temporary library (gallery seeded from the bundled pack), --json output and exit codes. The
// calibration is one fitted on synthetic scores for the installed extractor, so nothing here
// depends on a measured figure; `calibrate` runs on a synthetic embedding cache.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { loadCalibrationSet } from '../../src-engine/calibration/calibration-set.ts';
import { encodeNpyF32 } from '../../src-engine/evaluation/npy.ts';
import { mulberry32 } from '../../src-engine/evaluation/seeded-random.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
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
  const single = calibration.entries[0]!;
  assert.deepEqual(record.calibration.entries.map((e: { calibrationId: string; heldOut: { cllr: number } }) => [e.calibrationId, e.heldOut.cllr]), [[single.calibration.id, single.heldOut.cllr]]);
  for (const item of record.items) {
    assert.ok(['attributed', 'inconclusive', 'no-known-model'].includes(item.decision.kind));
    assert.equal(item.calibrationId, single.calibration.id);
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
  assert.match(text.stdout, /(ATTRIBUTED to|INCONCLUSIVE|NO KNOWN MODEL)/);
  assert.match(text.stdout, new RegExp(`calibration ${single.calibration.id.slice(0, 12)} \\(single image; held-out Cllr ${single.heldOut.cllr.toFixed(3)}`));
  assert.match(text.stdout, /Weak references \(< 10 reference images\): .*sd15/);

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

test('calibrate fits the calibration set from a folder of generator folders (here from an embedding cache)', (t) => {
  const dir = makeTempDir(t, 'modelprint-calibrate-cli');
  const data = path.join(dir, 'data');
  const generators = ['g0', 'g1', 'g2', 'g3', 'g4'];
  const random = mulberry32(11);
  const rows: Float32Array[] = [];
  const files: Array<{ file: string; generator: number }> = [];
  generators.forEach((g, label) => {
    fs.mkdirSync(path.join(data, g), { recursive: true });
    for (let i = 0; i < 32; i++) {
      const file = `${String(i).padStart(3, '0')}.png`;
      fs.writeFileSync(path.join(data, g, file), '');
      files.push({ file: path.join(g, file), generator: label });
      // Each generator a direction in 128-d, blurred by noise so that sources overlap.
      rows.push(Float32Array.from({ length: 128 }, (_, d) => (d % generators.length === label ? 0.4 : 0) + random() - 0.5));
    }
  });
  fs.writeFileSync(path.join(data, 'manifest.json'), JSON.stringify({ about: 'Synthetic calibration population.' }));
  const cache = path.join(dir, 'cache.npy');
  fs.writeFileSync(cache, encodeNpyF32(rows, 128));
  fs.writeFileSync(`${cache}.json`, JSON.stringify({ extractor: { name: model.name, sha256: model.sha256 }, generators, files }));

  const out = path.join(dir, 'out', 'calibration.json');
  const fitted = cli(dir, {}, 'calibrate', data, '--out', out, '--embeddings', cache, '--seed', '3', '--json');
  assert.equal(fitted.code, 0, fitted.stdout);
  const usable = loadCalibrationSet(out, { extractorSha256: model.sha256, setEncoderSha256: null });
  assert.equal(usable.set.id, fitted.json.id);
  const schemes = usable.set.entries.map((e) => `${e.pooling}/${e.bagSize}`);
  assert.deepEqual(schemes.filter((s) => !s.startsWith('deepsets')), ['single/1', 'mean/5', 'mean/10']);
  assert.ok(usable.set.notes.some((n) => /mean\/50: no generator has 50 query images/.test(n)));
  assert.match(usable.set.data.description, /^Synthetic calibration population\. 5 generators, 160 images/);
  assert.deepEqual([usable.set.protocol.galleryImages, usable.set.protocol.seed, usable.set.protocol.folds], [10, 3, 4]);
  const singleEntry = usable.set.entries[0]!;
  assert.deepEqual([singleEntry.calibration.training.sameCount, singleEntry.calibration.training.differentCount], [5 * 22, 5 * 22 * 4]);

  assert.equal(cli(dir, {}, 'calibrate', data).code, 2, '--out is required');
  assert.equal(cli(dir, {}, 'calibrate', path.join(dir, 'nope'), '--out', out).code, 2);
});
