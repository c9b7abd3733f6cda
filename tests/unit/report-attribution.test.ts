// The report's attribution parts, from results stored in a case the way the engine stores them:
// items and a set attributed by src-engine/attribution against a small synthetic gallery with a
// calibration fitted on synthetic scores, two sets verified 1:1, and a stored C_T curve. Checks
// the report model, the HTML sections (propositions, LRs, verbal scale, decisions, flags,
// calibration with its Tippett plot, set findings, methods, limitations, reproducibility) and the
// JSON bundle against its schema.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import type { AttributionRecord, CalibrationInfo, CaseCurves } from '../../src-engine/api/contract.ts';
import { runAttribution } from '../../src-engine/attribution/attribution-job.ts';
import { listAttributions, recordAttribution } from '../../src-engine/attribution/attribution-store.ts';
import { loadAttributionGallery } from '../../src-engine/gallery/attribution-gallery.ts';
import { verifySets } from '../../src-engine/attribution/verify-sets.ts';
import type { BagEncoder } from '../../src-engine/calibration/calibrate-folder.ts';
import type { UsableCalibration } from '../../src-engine/calibration/calibration-set.ts';
import type { CaseHandle } from '../../src-engine/cases/library.ts';
import { recordCurve } from '../../src-engine/ct-curve/case-curves.ts';
import type { FingerprintService } from '../../src-engine/fingerprint/fingerprint-service.ts';
import { saveRecordedFingerprint } from '../../src-engine/fingerprint/fingerprint-check.ts';
import { appendHistory } from '../../src-engine/gallery/gallery-history.ts';
import { addReferenceEmbedding, addReferenceImage, insertModel, openGalleryDatabase, refreshFingerprint } from '../../src-engine/gallery/gallery-store.ts';
import { validateBundle } from '../../src-engine/report/bundle-validation.ts';
import { buildCaseUcoBundle } from '../../src-engine/report/case-uco-bundle.ts';
import type { Available } from '../../src-engine/report/gather-attribution.ts';
import { gatherReportData, type ReportSources } from '../../src-engine/report/gather-report-data.ts';
import { makeReport, previewReport, resolveChoices, type ReportInputs } from '../../src-engine/report/make-report.ts';
import type { RenderPdf } from '../../src-engine/report/pdf/render-pdf.ts';
import { fakeReportPdf } from './helpers/fake-pdf.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { testCalibrationSet } from './helpers/test-calibration.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';
import { makeTempDir, type CleanupScope } from './helpers/temp-dir.ts';

const DIM = 8;
const EXTRACTOR = { name: 'spectral-extractor-v1', sha256: 'e'.repeat(64) };
const SET_ENCODER = { name: 'set-encoder-v1', sha256: 'd'.repeat(64) };
const IDENTITY = { reportId: 'r1', generatedUtc: '2026-03-01T00:00:00.000Z', actor: 'x' };

/** A unit vector at the given cosine to axis `axis`, the rest along axis `other`. */
function direction(axis: number, cosine: number, other: number): Float32Array {
  const v = new Float32Array(DIM);
  v[axis] = cosine;
  v[other] = Math.sqrt(1 - cosine * cosine);
  return v;
}

/** A unit vector at the same cosine to axes `a` and `b`, the rest along the last axis. */
function between(a: number, b: number, cosine: number): Float32Array {
  const v = new Float32Array(DIM);
  v[a] = cosine;
  v[b] = cosine;
  v[DIM - 1] = Math.sqrt(1 - 2 * cosine * cosine);
  return v;
}
/** Item 2's cosine to beta's and epsilon's axes: both strongly supported, within a factor of 10 of each other. */
const TIE_COSINE = 0.68;

/** A stand-in for the ONNX set encoder: a fixed, non-trivial function of the bag. */
const fakeSetEncoder: BagEncoder = {
  info: { ...SET_ENCODER, input: 'embeddings', output: 'set_fingerprint', dim: DIM },
  encode: async (bag) => {
    const out = new Float32Array(DIM);
    for (const e of bag) for (let d = 0; d < DIM; d++) out[d]! += e[d]! * (1 + 0.1 * d);
    return out;
  },
};

/** Stands in for the fingerprint service: every item already has its fingerprint, so nothing is computed. */
const storedFingerprintsOnly = { ready: async () => ({ model: EXTRACTOR, worker: null, facts: { provider: 'cpu' } }), model: () => EXTRACTOR } as unknown as FingerprintService;

interface StoredCase {
  handle: CaseHandle;
  calibration: CalibrationInfo;
  /** Oldest first. */
  records: AttributionRecord[];
}

/**
 * Four imported images given fingerprints chosen to land on each decision: item 1 close to alpha
 * (attributed), item 2 as close to beta (a weak reference) as to epsilon (not told apart), item 3,
 * a lossy WebP the calibration does not cover, half-way to gamma, whose references hold item 3
 * itself (inconclusive, outside the validated range, reference overlap), item 4, far from every
 * model (no known model).
 * Attributed by the engine's attribution run against a gallery database holding those models: an
 * items-only run for item 1, then a set run of all four; then a 1:1 verification and a C_T curve.
 */
async function storedCase(t: CleanupScope): Promise<StoredCase> {
  const { handle } = createTestCase(t);
  const pick = (folder: string) => fs.readdirSync(path.join(generatedFixturesDir, folder)).sort().slice(0, 2).map((f) => path.join(generatedFixturesDir, folder, f));
  await importFiles(handle, [...pick('animagine-xl-lora'), pick('dalle2')[0]!, pick('sd15')[0]!]);
  const rows = handle.db.prepare('SELECT id, sha256 FROM evidence_items ORDER BY id').all() as Array<{ id: number; sha256: string }>;
  const embeddings = [direction(0, 0.97, 5), between(1, 4, TIE_COSINE), direction(2, 0.55, 7), direction(3, 0.05, 7)];
  rows.forEach((row, i) =>
    handle.db.transaction(() => saveRecordedFingerprint(handle.db, { itemId: row.id, modelSha256: EXTRACTOR.sha256, modelName: EXTRACTOR.name, embedding: embeddings[i]!, crops: 9, provider: 'cpu', computedUtc: '2026-01-02T00:00:00.000Z' }, TEST_ACTOR))(),
  );

  let gallery: ReturnType<typeof openGalleryDatabase> | undefined;
  gallery = openGalleryDatabase(makeTempDir(t, 'modelprint-gallery', () => void gallery?.close()));
  const models: Array<[name: string, family: string, axis: number, images: number]> = [
    ['alpha', 'nearest', 0, 12],
    ['beta', 'bilinear', 1, 3],
    ['gamma', 'transposed', 2, 12],
    ['delta', 'nearest', 3, 12],
    ['epsilon', 'bilinear', 4, 12],
  ];
  for (const [name, family, axis, images] of models) {
    const id = insertModel(gallery, name, { family }, null);
    for (let i = 0; i < images; i++) {
      // gamma's first reference image is item 3 itself.
      const sha256 = name === 'gamma' && i === 0 ? rows[2]!.sha256 : createHash('sha256').update(`${name}-${i}`).digest('hex');
      addReferenceEmbedding(gallery, addReferenceImage(gallery, id, sha256, `${name}-${i}.png`), EXTRACTOR.sha256, direction(axis, 0.99, (axis + 1 + (i % 3)) % DIM));
    }
    refreshFingerprint(gallery, id, EXTRACTOR.sha256);
  }
  insertModel(gallery, 'stale-model', { family: 'nearest' }, null);
  // Recorded in the history as enrolment would, so attribution finds each fingerprint as recorded.
  appendHistory(gallery, TEST_ACTOR, 'model.enrolled', { models: models.length + 1 });

  const set = testCalibrationSet(EXTRACTOR, SET_ENCODER);
  const fileSha256 = createHash('sha256').update(JSON.stringify(set)).digest('hex');
  const usable: UsableCalibration = { set, file: 'calibration.json', fileSha256, deepsets: { usable: true } };
  const galleryDb = gallery;
  const run = (mode: 'items' | 'set', itemIds: number[]) =>
    runAttribution(handle, { actor: TEST_ACTOR, mode, itemIds, top: 3, service: storedFingerprintsOnly, calibration: usable, withGallery: (work) => work(galleryDb), setEncoder: fakeSetEncoder });
  await run('items', [1]);
  await run('set', [1, 2, 3, 4]);
  await verifySets(handle, { a: [1, 2], b: [3, 4], actor: TEST_ACTOR, extractorSha256: EXTRACTOR.sha256, calibration: usable, setEncoder: fakeSetEncoder, cohort: loadAttributionGallery(galleryDb, EXTRACTOR.sha256).matrix });
  recordCurve(handle.db, { id: 'curve-1', actor: TEST_ACTOR, itemIds: [1, 2, 3, 4], encoder: CURVES.encoder, referenceSha256: CURVES.reference.sha256, record: CURVES.case! });
  const calibration: CalibrationInfo = { ...set, file: usable.file, fileSha256, deepsets: { usable: true, reason: null } };
  return { handle, calibration, records: listAttributions(handle.db).reverse() };
}

const CURVES: CaseCurves = {
  encoder: { name: 'layered-encoder-v1', sha256: 'c'.repeat(64), layers: 6 },
  reference: { sha256: 'b'.repeat(64), tCount: 2000, pCount: 500, description: 'procedural real-image pool' },
  case: { itemCount: 4, values: [1.2, null, -0.5, 2.1, 3.3, null], keptCells: [3, 0, 2, 4, 5, 0], computedUtc: '2026-01-05T00:00:00.000Z', minimumImages: 20, note: null },
  gallery: [
    { model: 'alpha', family: 'nearest', imageCount: 300, values: [1.0, 0.4, -0.6, 2.0, 3.1, 1.5] },
    { model: 'beta', family: 'bilinear', imageCount: 300, values: [-2.0, -1.0, null, 0.5, 0.2, -0.4] },
  ],
  matches: [
    { model: 'alpha', score: 0.912 },
    { model: 'beta', score: 0.433 },
  ],
};

function inputs(calibration: Available<CalibrationInfo>, curves: Available<CaseCurves> = CURVES): ReportInputs {
  return { extractor: { ...EXTRACTOR, embeddingDim: DIM, provider: 'cpu' }, modelCards: [], spectrum: async () => null, calibration, curves };
}

function sources(calibration: Available<CalibrationInfo>, curves?: Available<CaseCurves>): ReportSources {
  return { ...inputs(calibration, curves), verification: { checkedUtc: IDENTITY.generatedUtc, total: 4, verified: 4 } };
}

test('the report model carries each item\'s newest stored result, the set results, the verification, the curve and the calibrations used', async (t) => {
  const { handle, calibration, records } = await storedCase(t);
  const data = await gatherReportData(handle.db, resolveChoices(handle.db, {}), IDENTITY, sources(calibration));

  const [first, second, third, fourth] = data.items.map((i) => i.attribution);
  assert.ok(first?.performed && second?.performed && third?.performed && fourth?.performed);
  assert.equal(first.runId, records[1]!.id, 'the newest run that attributed item 1');
  assert.equal(first.earlierResults, 1);
  assert.equal(second.earlierResults, 0);
  assert.deepEqual(
    [first, second, third, fourth].map((f) => f.result.decision.kind),
    ['attributed', 'tied', 'inconclusive', 'no-known-model'],
  );
  assert.equal(first.result.decision.model, 'alpha');
  assert.ok(second.result.candidates[0]!.weakReference);
  assert.deepEqual([second.result.decision.candidate, second.result.decision.alsoSupported], ['beta', ['epsilon']]);
  assert.equal(third.result.referenceOverlap, 'gamma');
  assert.match(third.result.evidenceCondition, /WebP/);
  assert.deepEqual(third.result.decision.outOfValidity, ['the calibration covers no lossy WebP images']);
  assert.deepEqual(first.result, records[1]!.items[0], 'the stored result, unchanged');

  // Only the runs findings come from, without their results (the findings carry those).
  assert.deepEqual(data.attribution.runs.map((r) => r.id), [records[1]!.id]);
  assert.deepEqual(data.attribution.runs[0]!.gallery.excluded, ['stale-model']);
  assert.ok(!('items' in data.attribution.runs[0]!));
  // Each result's calibration, and each candidate's (its LR comes from the entry for its own reference count).
  const results = [...data.items.flatMap((i) => (i.attribution.performed ? [i.attribution.result] : [])), data.set.attributions[0]!.result.mean, data.set.attributions[0]!.result.deepsets!];
  const used = new Set(results.flatMap((r) => [r.calibrationId, ...r.candidates.map((c) => c.calibrationId)]));
  assert.deepEqual(new Set(data.attribution.calibrations.map((c) => c.calibrationId)), used);
  for (const c of data.attribution.calibrations) {
    const installed = calibration.entries.find((e) => e.calibration.id === c.calibrationId)!;
    // The plotted Tippett data are the validation generators' when the entry was validated.
    assert.deepEqual([c.tippett, c.tippettSource], installed.validation ? [installed.validation.tippett, 'validation'] : [installed.tippett, 'held-out']);
    assert.deepEqual(c.heldOut, installed.heldOut);
    assert.deepEqual([c.references, c.compression], [installed.references, installed.compression]);
    assert.ok(c.validation && installed.validation);
    assert.equal(c.validation.cllr, installed.validation.cllr);
  }
  assert.equal(data.attribution.calibrationSets[0]!.id, calibration.id);
  assert.deepEqual(data.attribution.calibrationSets[0]!.population, calibration.population);
  assert.deepEqual(data.attribution.calibrationSets[0]!.validationPopulation, calibration.validationPopulation);

  assert.equal(data.set.attributions.length, 1);
  assert.deepEqual(data.set.attributions[0]!.result.itemIds, [1, 2, 3, 4]);
  assert.ok(data.set.attributions[0]!.result.deepsets);
  assert.equal(data.set.verifications.length, 1);
  assert.deepEqual([data.set.verifications[0]!.a, data.set.verifications[0]!.b], [[1, 2], [3, 4]]);
  assert.ok(data.set.verifications[0]!.deepsets);
  assert.ok(data.set.curve.performed);
  assert.deepEqual([data.set.curve.curveId, data.set.curve.itemIds], ['curve-1', [1, 2, 3, 4]]);

  assert.deepEqual(data.methods.setEncoder, SET_ENCODER);
  assert.equal(data.methods.layeredEncoder?.sha256, 'c'.repeat(64));
  const hashes = new Set(data.reproducibility.hashes.map((h) => h.sha256));
  for (const sha of [EXTRACTOR.sha256, SET_ENCODER.sha256, 'c'.repeat(64), 'b'.repeat(64), records[1]!.gallery.sha256, calibration.id, calibration.fileSha256, ...used]) assert.ok(hashes.has(sha as string), sha as string);

  const topics = data.limitations.map((l) => l.topic);
  for (const topic of ['What the calibration population means', 'Measured performance on validation generators', 'Weak references', 'Earlier attribution results', 'C_T curves are compared, not calibrated']) assert.ok(topics.includes(topic), topic);
  assert.ok(topics.some((topic) => /reference images/.test(topic)), 'reference overlap is a limitation');
  assert.ok(!topics.includes('No attribution'));
  assert.deepEqual(JSON.parse(JSON.stringify(data)), data);
});

test('the HTML states propositions, LRs with verbal equivalents, honest decisions, flags, calibration figures and Tippett plots, and the set findings', async (t) => {
  const { handle, calibration, records } = await storedCase(t);
  const text = await previewReport(handle, {}, inputs(calibration));
  for (const expected of [
    'Proposition Hp',
    'Proposition Hd',
    'Relevant population, as calibrated',
    'Attributed to alpha',
    'Not told apart: beta or epsilon',
    'Inconclusive',
    'No known model',
    'Evidence condition',
    'lossless PNG, 832 × 1216',
    'Outside what the calibration was validated for',
    '<li>the calibration covers no lossy WebP images</li>',
    'Validation on real generators',
    'On 12 validation generators',
    'wrong-model comparisons reaching LR ≥ 10',
    'of wrong-model comparisons reached LR ≥ 10',
    'Calibration population: 12 synthetic test generators',
    'Validation population: 12 synthetic test generators',
    '<td>calibration-0</td>',
    '<td>validation-11</td>',
    'weak reference: 3 images',
    'reference overlap: gamma was enrolled from this very evidence',
    'Cllr<sub>min</sub>',
    'misleading evidence',
    'aria-label="Tippett plot"',
    'this result: ',
    'aria-label="C_T curves"',
    'Undefined layers:</strong> C<sub>T</sub> is undefined at layers 2, 6',
    'undef.',
    'Mean pooling',
    'DeepSets set encoder',
    'Set A (2 items: 1–2) against set B (2 items: 3–4)',
    'not a calibrated likelihood ratio',
    records[1]!.gallery.sha256,
    calibration.id,
    'The case holds 1 older result for this item',
    '4 items compared with the gallery: 1 attributed, 1 not told apart, 1 inconclusive, 1 no known model; 1 set of items',
  ]) {
    assert.ok(text.includes(expected), `missing: ${expected}`);
  }
  assert.match(text, /support for Hp/);
  assert.match(text, /support for Hd/);
  assert.doesNotMatch(text, /not performed: no gallery attribution/);
  // One Tippett plot per attributed item and one per set pooling.
  assert.equal(text.match(/aria-label="Tippett plot"/g)?.length, 4 + 2);
});

test('the JSON bundle carries the same results as linked nodes and validates against its schema; a broken result does not', async (t) => {
  const { handle, calibration } = await storedCase(t);
  const data = await gatherReportData(handle.db, resolveChoices(handle.db, {}), IDENTITY, sources(calibration));
  const bundle = buildCaseUcoBundle(data);
  assert.deepEqual(validateBundle(bundle), { ok: true, errors: [] });
  const graph = bundle['@graph'];
  const types = graph.map((n) => n['@type']);
  assert.equal(types.filter((type) => type === 'modelprint:Calibration').length, data.attribution.calibrations.length);
  for (const type of ['modelprint:SetAttributionFindings', 'modelprint:SetVerificationFindings', 'modelprint:CtCurveFindings']) assert.equal(types.filter((x) => x === type).length, 1, type);
  const run = graph.find((n) => n['modelprint:run'] && n['@type'] === 'case-investigation:InvestigativeAction')!;
  assert.equal((run['uco-action:result'] as unknown[]).length, 4 + 1, 'the run produced four item findings and one set finding');

  // Every reference points at a node of the bundle.
  const ids = new Set(graph.map((n) => n['@id']));
  const refs = JSON.stringify(graph).match(/\{"@id":"kb:[^"]+"\}/g) ?? [];
  for (const r of refs) assert.ok(ids.has(JSON.parse(r)['@id']), r);

  const item = graph.find((n) => n['@type'] === 'modelprint:AttributionFindings' && n['modelprint:performed'] === true)!;
  assert.deepEqual(item['modelprint:result'], data.items[0]!.attribution.performed && data.items[0]!.attribution.result);

  const broken = structuredClone(bundle);
  const node = broken['@graph'].find((n) => n['@type'] === 'modelprint:AttributionFindings' && n['modelprint:performed'] === true)!;
  (node['modelprint:result'] as { decision: { kind: string } }).decision.kind = 'probably';
  const result = validateBundle(broken);
  assert.equal(result.ok, false);
  assert.ok(result.errors.some((e) => e.includes('decision')), result.errors.join('\n'));

  // Evidence outside the validated range can only be inconclusive.
  const outside = structuredClone(bundle);
  const attributed = outside['@graph'].find((n) => n['@type'] === 'modelprint:AttributionFindings' && (n['modelprint:result'] as { decision?: { kind: string } })?.decision?.kind === 'attributed')!;
  (attributed['modelprint:result'] as { decision: { outOfValidity: string[] } }).decision.outOfValidity = ['the calibration covers no lossy WebP images'];
  assert.equal(validateBundle(outside).ok, false);
});

test('a new attribution result changes the findings digest; a calibration or curve that is not available is reported as such', async (t) => {
  const { handle, calibration, records } = await storedCase(t);
  const choices = resolveChoices(handle.db, {});
  const before = await gatherReportData(handle.db, choices, IDENTITY, sources(calibration));
  recordAttribution(handle.db, { ...records[0]!, id: 'run-3', createdUtc: new Date(Date.now() + 60_000).toISOString() });
  const after = await gatherReportData(handle.db, choices, IDENTITY, sources(calibration));
  assert.notEqual(after.findingsDigest, before.findingsDigest);
  assert.equal(after.items[0]!.attribution.performed && after.items[0]!.attribution.runId, 'run-3');
  assert.equal(after.items[0]!.attribution.performed && after.items[0]!.attribution.earlierResults, 2);

  // A report on part of the case leaves out the set results and curve made of items it does not cover.
  const part = await gatherReportData(handle.db, resolveChoices(handle.db, { itemIds: [1, 2] }), IDENTITY, sources(calibration));
  assert.deepEqual(part.set.attributions, []);
  assert.match(part.set.attributionNote!, /1 set result covers items outside this report/);
  assert.match(part.set.curve.performed ? '' : part.set.curve.reason, /made of 4 items, 2 of them outside this report \(3–4\)/);
  assert.deepEqual(part.set.verifications, []);

  const missing = await gatherReportData(handle.db, choices, IDENTITY, sources({ unavailable: 'no calibration: calibration.json is missing' }, { unavailable: 'no layered encoder installed' }));
  assert.ok(missing.attribution.calibrations.every((c) => c.tippett === null && /no calibration: calibration.json is missing/.test(c.tippettNote!)));
  assert.deepEqual(missing.attribution.calibrationSets, []);
  assert.deepEqual(missing.set.curve, { performed: false, reason: 'not available: no layered encoder installed' });
  assert.ok(missing.limitations.some((l) => l.topic === 'Tippett data missing'));
  assert.deepEqual(validateBundle(buildCaseUcoBundle(missing)), { ok: true, errors: [] });
});

test('a generated report with attribution results is recorded with a valid bundle', async (t) => {
  const { handle, calibration } = await storedCase(t);
  const printed: string[] = [];
  const fake: RenderPdf = async (document) => {
    printed.push(document);
    return fakeReportPdf(document);
  };
  const record = await makeReport(handle, {}, { actor: TEST_ACTOR, renderPdf: fake, inputs: inputs(calibration) });
  assert.ok(record);
  const bundle = JSON.parse(fs.readFileSync(path.join(handle.dir, record.json.path), 'utf8'));
  assert.deepEqual(validateBundle(bundle), { ok: true, errors: [] });
  assert.match(printed.at(-1)!, /Findings per set of items/);
});

test('results made against an earlier gallery snapshot are flagged in the item findings and the limitations', async (t) => {
  const { handle, calibration, records } = await storedCase(t);
  const same = await gatherReportData(handle.db, resolveChoices(handle.db, {}), IDENTITY, { ...sources(calibration), gallery: { snapshotSha256: records[0]!.gallery.sha256 } });
  assert.deepEqual(same.attribution.olderGalleryRuns, [], 'the gallery has not changed');
  const changed: ReportSources = { ...sources(calibration), gallery: { snapshotSha256: 'e'.repeat(64) } };
  const data = await gatherReportData(handle.db, resolveChoices(handle.db, {}), IDENTITY, changed);
  assert.deepEqual(new Set(data.attribution.olderGalleryRuns), new Set(data.attribution.runs.map((r) => r.id)));
  const limitation = data.limitations.find((l) => l.topic === 'Results made against an earlier gallery');
  assert.match(limitation?.text ?? '', /made against another snapshot of the gallery than the one installed now \(item 1/);
  const text = await previewReport(handle, {}, { ...inputs(calibration), gallery: { snapshotSha256: 'e'.repeat(64) } });
  assert.match(text, /Made against an earlier gallery\.<\/strong> This result was computed against gallery snapshot <span class="mono">[0-9a-f]{64}<\/span>; the gallery has changed since \(now <span class="mono">e{64}<\/span>\)/);
});
