// Reports: the report model gathered from a case, the CASE/UCO bundle and its schema, determinism
// of the findings, escaping of evidence text, and re-verification before reporting (a changed
// exhibit must show in the report). PDF rendering is faked here except in the last test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { after } from 'node:test';
import { verifyEvidence } from '../../src-engine/integrity/verify-evidence.ts';
import { analyseItems, itemsToAnalyse } from '../../src-engine/provenance/analyse-items.ts';
import { closeMetadataReader } from '../../src-engine/provenance/analyse.ts';
import { validateBundle } from '../../src-engine/report/bundle-validation.ts';
import { buildCaseUcoBundle, bundleText } from '../../src-engine/report/case-uco-bundle.ts';
import { gatherReportData, type ReportSources } from '../../src-engine/report/gather-report-data.ts';
import { escapeHtml, html } from '../../src-engine/report/html.ts';
import { makeReport, previewReport, resolveChoices } from '../../src-engine/report/make-report.ts';
import { markdownToHtml } from '../../src-engine/report/markdown.ts';
import { countPdfPages } from '../../src-engine/report/pdf/count-pages.ts';
import { createChromiumPdfRenderer } from '../../src-engine/report/pdf/chromium-pdf.ts';
import type { RenderPdf } from '../../src-engine/report/pdf/render-pdf.ts';
import { listReports } from '../../src-engine/report/report-store.ts';
import { fakeReportPdf } from './helpers/fake-pdf.ts';
import { NO_MODEL, chromiumMissing } from './helpers/report-inputs.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { createTestCase, importFiles, TEST_ACTOR, type TestCase } from './helpers/test-case.ts';
import type { CleanupScope } from './helpers/temp-dir.ts';

after(() => closeMetadataReader());

const VERIFIED = { checkedUtc: '2026-01-01T00:00:00.000Z', total: 4, verified: 4 };

/** A case with two LoRA images and two WebP-named-PNG images, provenance analysed. */
async function fixtureCase(t: CleanupScope, title = 'Report test'): Promise<TestCase> {
  const tc = createTestCase(t);
  tc.handle.db.prepare('UPDATE case_info SET title = ? WHERE id = 1').run(title);
  const pick = (folder: string) => fs.readdirSync(path.join(generatedFixturesDir, folder)).sort().slice(0, 2).map((f) => path.join(generatedFixturesDir, folder, f));
  await importFiles(tc.handle, [...pick('animagine-xl-lora'), ...pick('dalle2')]);
  await analyseItems(tc.handle, itemsToAnalyse(tc.handle.db, undefined), { actor: TEST_ACTOR });
  return tc;
}

function sources(verification: ReportSources['verification'] = VERIFIED): ReportSources {
  return { ...NO_MODEL, verification };
}

/** Stands in for Chromium: one "page" per report part, which is what paginate expects of parts that fit a page. */
function fakePdfRenderer(printed: string[]): RenderPdf {
  return async (document) => {
    printed.push(document);
    return fakeReportPdf(document);
  };
}

test('the report model holds every exhibit with custody, the provenance findings, and says what was not performed', async (t) => {
  const { handle } = await fixtureCase(t);
  const data = await gatherReportData(handle.db, resolveChoices(handle.db, {}), { reportId: 'r1', generatedUtc: '2026-01-01T00:00:00.000Z', actor: 'x' }, sources());
  assert.equal(data.exhibits.length, 4);
  assert.ok(data.exhibits.every((e) => e.integrity === 'intact' && e.custody[0]?.action === 'received'));
  const lora = data.items.find((i) => i.provenance?.report.claimedGenerator?.model === 'animagineXLV3_v30');
  assert.ok(lora, 'the LoRA fixture names its model');
  const webp = data.items.filter((i) => i.provenance?.report.anomalies.some((a) => a.code === 'extension_mismatch'));
  assert.equal(webp.length, 2, 'both dalle2 files are WebP named .png');
  for (const item of data.items) {
    assert.deepEqual(item.attribution, { performed: false, reason: 'not performed: the case holds no attribution result for this item' });
    assert.deepEqual(item.fingerprint, { state: 'not_fingerprinted', reason: 'not fingerprinted: no fingerprint model installed' });
  }
  assert.deepEqual(data.set.attributions, []);
  assert.match(data.set.attributionNote!, /no set attribution/);
  assert.deepEqual(data.set.verifications, []);
  assert.deepEqual(data.set.curve, { performed: false, reason: 'not available: no layered encoder installed' });
  assert.deepEqual(data.attribution, { runs: [], calibrations: [], calibrationSets: [], currentGallerySha256: null, olderGalleryRuns: [] });
  assert.ok(data.limitations.some((l) => l.topic === 'No attribution'));
  assert.equal(data.reproducibility.extractor, null);
  assert.equal(data.audit.chainOk, true);
  assert.deepEqual(data.sections, ['exhibits', 'methods', 'provenance', 'spectra', 'attribution', 'set-findings', 'limitations', 'reproducibility', 'audit']);
  // JSON-serialisable as it is: the bundle and the PDF both come from this value.
  assert.deepEqual(JSON.parse(JSON.stringify(data)), data);
});

test('items and sections are chosen, put in exhibit and report order, and unknown items refused', async (t) => {
  const { handle } = await fixtureCase(t);
  assert.deepEqual(resolveChoices(handle.db, { itemIds: [3, 1], sections: ['audit', 'exhibits'] }), { itemIds: [1, 3], sections: ['exhibits', 'audit'] });
  assert.throws(() => resolveChoices(handle.db, { itemIds: [99] }), /no evidence item 99/);
});

test('the same inputs give the same findings digest and the same bundle, apart from ids and times', async (t) => {
  const { handle } = await fixtureCase(t);
  const choices = resolveChoices(handle.db, {});
  const first = await gatherReportData(handle.db, choices, { reportId: 'a', generatedUtc: '2026-01-01T00:00:00.000Z', actor: 'x' }, sources());
  // Reporting itself adds custody and audit entries (verification, 'reported'): they must not change the findings.
  await verifyEvidence(handle, { actor: TEST_ACTOR });
  const second = await gatherReportData(handle.db, choices, { reportId: 'b', generatedUtc: '2026-02-02T00:00:00.000Z', actor: 'y' }, sources());
  assert.equal(first.findingsDigest, second.findingsDigest);
  // In the bundles, the exhibits and every finding node are identical; only report, action and custody nodes differ.
  const findingNodes = (data: typeof first) =>
    JSON.parse(bundleText(buildCaseUcoBundle(data)))['@graph'].filter((n: { '@type': string }) => /File$|Findings$/.test(n['@type']));
  assert.deepEqual(findingNodes(first), findingNodes(second));
  const other = await gatherReportData(handle.db, resolveChoices(handle.db, { itemIds: [1] }), { reportId: 'c', generatedUtc: '2026-01-01T00:00:00.000Z', actor: 'x' }, sources());
  assert.notEqual(other.findingsDigest, first.findingsDigest, 'other choices, other findings');
});

test('the JSON bundle validates against its schema, and a bundle without exhibit hashes does not', async (t) => {
  const { handle } = await fixtureCase(t);
  const data = await gatherReportData(handle.db, resolveChoices(handle.db, {}), { reportId: 'r1', generatedUtc: '2026-01-01T00:00:00.000Z', actor: 'x' }, sources());
  const bundle = buildCaseUcoBundle(data);
  assert.deepEqual(validateBundle(bundle), { ok: true, errors: [] });
  const types = bundle['@graph'].map((n) => n['@type']);
  for (const type of ['case-investigation:Investigation', 'uco-identity:Identity', 'uco-tool:Tool', 'case-investigation:ProvenanceRecord', 'case-investigation:InvestigativeAction', 'modelprint:ProvenanceFindings']) {
    assert.ok(types.includes(type), type);
  }
  assert.equal(types.filter((t) => t === 'uco-observable:File').length, 4);

  const broken = structuredClone(bundle);
  const file = broken['@graph'].find((n) => n['@type'] === 'uco-observable:File')!;
  (file['uco-core:hasFacet'] as Array<Record<string, unknown>>)[1]!['uco-observable:hash'] = [];
  const result = validateBundle(broken);
  assert.equal(result.ok, false);
  assert.ok(result.errors.some((e) => e.includes('hasFacet')), result.errors.join('\n'));
});

test('evidence text is escaped everywhere in the report HTML, and Markdown cannot inject markup', async (t) => {
  const hostile = '<img src=x onerror=alert(1)>"\'&';
  const { handle } = await fixtureCase(t, hostile);
  const htmlText = await previewReport(handle, {}, NO_MODEL);
  assert.ok(!htmlText.includes('<img src=x'), 'the case title is escaped');
  assert.ok(htmlText.includes(escapeHtml(hostile)));
  // Prompts come from the files: the LoRA prompt's <lora:...> tags must stay text.
  assert.ok(htmlText.includes('&lt;lora:Elsa- [Frozen] - XL Version 1:0.8&gt;'));
  assert.ok(!/<script/i.test(htmlText));
  assert.equal(html`<p>${'<b>'}${[html`<i>ok</i>`]}</p>`.text, '<p>&lt;b&gt;<i>ok</i></p>');
  const card = markdownToHtml('# Card\n\n<script>alert(1)</script>\n\n![x](http://example.com/x.png) [site](https://example.com)').text;
  assert.ok(!card.includes('<script>') && card.includes('&lt;script&gt;'));
  assert.ok(!card.includes('<img') && !card.includes('<a '), card);
});

test('generating re-verifies every exhibit: a changed file appears in the report, which is recorded with both hashes', async (t) => {
  const { handle } = await fixtureCase(t);
  const tampered = handle.store.evidencePath((handle.db.prepare('SELECT sha256 FROM evidence_items WHERE id = 2').get() as { sha256: string }).sha256);
  fs.chmodSync(tampered, 0o644);
  fs.appendFileSync(tampered, 'changed');
  const printed: string[] = [];
  const record = await makeReport(handle, { itemIds: [1, 2] }, { actor: TEST_ACTOR, renderPdf: fakePdfRenderer(printed), inputs: NO_MODEL });
  assert.ok(record);
  assert.deepEqual(record.integrityProblems, [2]);
  const finalHtml = printed.at(-1)!;
  assert.match(finalHtml, /INTEGRITY FAILURE/);
  assert.match(finalHtml, /HASH MISMATCH/);
  assert.ok(finalHtml.includes(record.json.sha256), 'the PDF states the bundle hash');

  for (const file of [record.pdf, record.json]) {
    const stored = path.join(handle.dir, file.path);
    assert.equal(fs.statSync(stored).mode & 0o222, 0, 'read-only');
    assert.equal((await import('node:crypto')).createHash('sha256').update(fs.readFileSync(stored)).digest('hex'), file.sha256);
  }
  const bundle = JSON.parse(fs.readFileSync(path.join(handle.dir, record.json.path), 'utf8'));
  assert.equal(validateBundle(bundle).ok, true);
  assert.deepEqual(listReports(handle.db).map((r) => r.id), [record.id]);
  const reported = handle.db.prepare("SELECT item_id FROM custody_events WHERE action = 'reported' ORDER BY item_id").all() as Array<{ item_id: number }>;
  assert.deepEqual(reported.map((r) => r.item_id), [1, 2]);
  const audit = handle.db.prepare("SELECT details FROM audit_log WHERE action = 'report.generated'").get() as { details: string };
  const details = JSON.parse(audit.details);
  assert.equal(details.pdfSha256, record.pdf.sha256);
  assert.equal(details.jsonSha256, record.json.sha256);
  // The table of contents got real page numbers: one page per part with the fake renderer.
  assert.match(finalHtml, /<span class="page">3<\/span>/);
});

test('Chromium prints a full report whose contents give each part its real first page', { skip: chromiumMissing() }, async (t) => {
  const { handle } = await fixtureCase(t);
  const chromium = createChromiumPdfRenderer();
  t.after(() => chromium.close());
  const record = await makeReport(handle, { sections: ['exhibits', 'provenance', 'audit'] }, { actor: TEST_ACTOR, renderPdf: chromium.renderPdf, inputs: NO_MODEL });
  assert.ok(record);
  const pdf = fs.readFileSync(path.join(handle.dir, record.pdf.path));
  assert.equal(countPdfPages(pdf), record.pages);
  assert.ok(record.pages >= 7, `cover, contents, exhibits, 4 items, audit: ${record.pages} pages`);
});

