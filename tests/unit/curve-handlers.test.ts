// Case curves end to end on the tiny ViT: startCurve (a job) records the curve with custody and
// audit entries, getCurves returns it with the gallery's curves ranked by the paper's score, and
// `modelprint curve` does the same from the command line. The engine finds the tiny encoder and its
// reference set through $MODELPRINT_MODELS, $MODELPRINT_LAYERED_ENCODER and $MODELPRINT_CT_REFERENCE.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { CurveJob } from '../../src-engine/api/contract.ts';
import { allEvidence } from '../../src-engine/cases/case-database.ts';
import { Library } from '../../src-engine/cases/library.ts';
import { curveMatchingScore, rankCurveMatches } from '../../src-engine/ct-curve/ct-curve.ts';
import { withLibraryGallery } from '../../src-engine/gallery/default-gallery.ts';
import { saveModelCurve } from '../../src-engine/gallery/gallery-curves.ts';
import { insertModel } from '../../src-engine/gallery/gallery-store.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { buildTinyReference, TINY_ENCODER, tinyModelsDir } from './helpers/tiny-curves.ts';

test('a case curve is computed as a job, recorded with custody and audit, and matched against gallery curves', async (t) => {
  const data = makeTempDir(t, 'modelprint-curve-data');
  const reference = await buildTinyReference(data);
  Object.assign(process.env, { MODELPRINT_MODELS: tinyModelsDir, MODELPRINT_LAYERED_ENCODER: TINY_ENCODER, MODELPRINT_CT_REFERENCE: reference });
  const { engine, call, home } = startEngine(t);
  const created = await call('createCase', { number: 'CT-1', title: 'Curves', examiner: TEST_ACTOR });
  // The evidence: T's own images and a file that is no image.
  const images = path.join(data, 'T');
  fs.writeFileSync(path.join(images, 'notes.png'), 'not an image');
  await runJob(engine, () => call('startImport', { caseId: created.id, paths: [images] }));

  const { job } = await runJob(engine, () => call('startCurve', { caseId: created.id }));
  const curveJob = job as CurveJob;
  assert.equal(curveJob.state, 'done', curveJob.error ?? '');
  assert.deepEqual(curveJob.counts, { embedded: 40, skipped: 1, failed: 0 });
  assert.match(curveJob.curveId ?? '', /^[0-9a-f-]{36}$/);

  const curves = await call('getCurves', { caseId: created.id });
  assert.equal(curves.encoder.name, TINY_ENCODER);
  assert.deepEqual([curves.encoder.layers, curves.reference.tCount, curves.reference.pCount], [3, 40, 16]);
  assert.equal(curves.case?.itemCount, 40);
  assert.equal(curves.case?.values.length, 3);
  assert.deepEqual([curves.gallery, curves.matches], [[], []]);

  // The engine holds the case open; read it through a second handle, as an examiner's tool would.
  const library = new Library(home);
  t.after(() => library.close());
  const { db } = library.openCase(created.id);
  const analysable = allEvidence(db).filter((item) => item.status === 'analysable');
  const custody = db.prepare("SELECT item_id, details FROM custody_events WHERE action = 'curve-computed' ORDER BY item_id").all() as Array<{ item_id: number; details: string }>;
  assert.deepEqual(custody.map((c) => c.item_id), analysable.map((item) => item.id));
  assert.equal(JSON.parse(custody[0]!.details).curveId, curveJob.curveId);
  const audit = db.prepare("SELECT details FROM audit_log WHERE action = 'curve.computed'").all() as Array<{ details: string }>;
  assert.equal(audit.length, 1);
  assert.deepEqual(JSON.parse(audit[0]!.details).values, curves.case!.values);
  assert.equal((await call('verifyAudit', { caseId: created.id })).ok, true);

  // Gallery curves for the same encoder and reference set are ranked by the paper's score.
  const key = { encoderSha256: curves.encoder.sha256, referenceSha256: curves.reference.sha256 };
  const caseValues = curves.case!.values;
  await withLibraryGallery(home, { actor: TEST_ACTOR, currentExtractorSha256: null }, async (gallery) => {
    saveModelCurve(gallery, insertModel(gallery, 'same', { family: 'tiny' }, null), { ...key, imageCount: 300, values: caseValues });
    saveModelCurve(gallery, insertModel(gallery, 'other', { family: 'tiny' }, null), { ...key, imageCount: 300, values: caseValues.map((v) => (v ?? 0) + 5) });
    saveModelCurve(gallery, insertModel(gallery, 'elsewhere', {}, null), { ...key, referenceSha256: 'f'.repeat(64), imageCount: 300, values: [0, 0, 0] });
  });
  const matched = await call('getCurves', { caseId: created.id });
  assert.deepEqual(matched.gallery.map((g) => g.model), ['other', 'same']);
  assert.deepEqual(matched.matches.map((m) => m.model), ['same', 'other']);
  assert.equal(matched.matches[0]!.score, curveMatchingScore(caseValues, caseValues));

  await assert.rejects(call('startCurve', { caseId: created.id, itemIds: [allEvidence(db).find((i) => i.status !== 'analysable')!.id] }), apiError('invalid_input', /none of the selected items is analysable/));

  // The command line: the same case, a new curve, the same gallery ranking.
  const run = spawnSync(nodeBinary, [path.join(repoRoot, 'bin', 'modelprint.js'), '--home', home, '--json', 'curve', '--case', 'CT-1'], { encoding: 'utf8', env: process.env });
  assert.equal(run.status, 0, run.stderr);
  const printed = JSON.parse(run.stdout) as { state: string; case: { values: (number | null)[] }; matches: Array<{ model: string }> };
  assert.equal(printed.state, 'done');
  assert.deepEqual(printed.case.values, caseValues);
  assert.deepEqual(printed.matches.map((m) => m.model), ['same', 'other']);
});

test('curve matching: nearest neighbour by 0.5 cos + 0.5 / (1 + distance), undefined layers as 0, ties by name', () => {
  const known = [
    { model: 'b', values: [1, 2, 3] },
    { model: 'a', values: [1, 2, 3] },
    { model: 'far', values: [-1, -2, -3] },
    { model: 'gaps', values: [1, null, Number.NaN] },
  ];
  const ranked = rankCurveMatches([1, 2, 3], known);
  assert.deepEqual(ranked.map((m) => m.model), ['a', 'b', 'gaps', 'far']);
  assert.equal(ranked[0]!.score, 1);
  assert.ok(Math.abs(ranked[2]!.score - (0.5 * (1 / Math.sqrt(14)) + 0.5 / (1 + Math.sqrt(13)))) < 1e-12);
  assert.deepEqual(rankCurveMatches([null, null], [{ model: 'x', values: [0, 0] }]), [{ model: 'x', score: 0.5 }]);
});
