// A suspect controls file names: a name that is one long unbroken word, one that reverses the text
// direction (U+202E), and one with control characters must neither widen the printed page (Chromium
// would shrink every page and the contents' page numbers would no longer match) nor hide what the
// name really is.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { after } from 'node:test';
import { analyseItems, itemsToAnalyse } from '../../src-engine/provenance/analyse-items.ts';
import { closeMetadataReader } from '../../src-engine/provenance/analyse.ts';
import { escapeHtml } from '../../src-engine/report/html.ts';
import { makeReport, previewReport } from '../../src-engine/report/make-report.ts';
import { countPdfPages } from '../../src-engine/report/pdf/count-pages.ts';
import { chromium as playwright } from 'playwright-core';
import { createChromiumPdfRenderer, findChromium } from '../../src-engine/report/pdf/chromium-pdf.ts';
import { NO_MODEL, chromiumMissing } from './helpers/report-inputs.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';

after(() => closeMetadataReader());


export const HOSTILE_NAMES = [
  `${'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'.repeat(3)}.png`,
  'invoice\u202Egnp.exe.png',
  'line\nitem 99  fake\u001b[31mred\u0007.png',
];


test('invisible and direction-changing characters are shown as code points, not obeyed', () => {
  assert.equal(escapeHtml('a\u202Eb'), 'a[U+202E]b');
  assert.equal(escapeHtml('x\u001b[31m\u0007'), 'x[U+001B][31m[U+0007]');
  assert.equal(escapeHtml('zero\u200Bwidth\uFEFF'), 'zero[U+200B]width[U+FEFF]');
  // Line breaks and tabs in prompts stay text the layout can wrap.
  assert.equal(escapeHtml('a\nb\tc'), 'a\nb\tc');
});

test('hostile file names neither widen the printed page nor break the contents', { skip: chromiumMissing() }, async (t) => {
  const tc = createTestCase(t);
  const originals = ['dalle2', 'sd15'].flatMap((folder) => fs.readdirSync(path.join(generatedFixturesDir, folder)).sort().slice(0, 2).map((f) => path.join(generatedFixturesDir, folder, f)));
  const dir = makeTempDir(t, 'hostile-names');
  // Distinct content per name, so each name is an item of its own (identical bytes would be one item).
  const files = HOSTILE_NAMES.map((name, i) => {
    const file = path.join(dir, name);
    fs.copyFileSync(originals[i]!, file);
    return file;
  });
  const extra = originals[HOSTILE_NAMES.length]!;
  await importFiles(tc.handle, [...files, extra]);
  await analyseItems(tc.handle, itemsToAnalyse(tc.handle.db, undefined), { actor: TEST_ACTOR });
  // Laid out for print at the A4 page box's width (210 mm less 2 x 16 mm margins), no element is wider.
  const preview = await previewReport(tc.handle, { sections: ['exhibits', 'provenance', 'audit'] }, NO_MODEL);
  const browser = await playwright.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: Math.floor((178 / 25.4) * 96), height: 1000 } });
  await page.emulateMedia({ media: 'print' });
  await page.setContent(preview);
  const widest = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > limit + 1).map((e) => `${e.tagName}: ${(e.textContent ?? '').slice(0, 40)}`);
  });
  assert.deepEqual(widest, []);
  assert.match(preview, /invoice\[U\+202E\]gnp\.exe\.png/);
  assert.doesNotMatch(preview, /\u001b|\u202E/);
  // Every exhibit is pictured once (in its own findings, which this report has), with its hash beside.
  const items = (tc.handle.db.prepare('SELECT count(*) AS n FROM evidence_items').get() as { n: number }).n;
  assert.equal(preview.match(/<figure class="exhibit-picture"><img src="data:image\/jpeg;base64,/g)?.length, items);
  const detail = tc.handle.db.prepare('SELECT sha256 FROM evidence_items WHERE id = 1').get() as { sha256: string };
  assert.match(preview, new RegExp(`from the stored copy, SHA-256 <span class="mono">${detail.sha256}</span>`));
  const chromium = createChromiumPdfRenderer();
  t.after(() => chromium.close());
  const record = await makeReport(tc.handle, { sections: ['exhibits', 'provenance', 'audit'] }, { actor: TEST_ACTOR, renderPdf: chromium.renderPdf, inputs: NO_MODEL });
  if (process.env['REPORT_PDF_OUT']) fs.copyFileSync(path.join(tc.handle.dir, record!.pdf.path), process.env['REPORT_PDF_OUT']);
  assert.ok(record);
  const pdf = fs.readFileSync(path.join(tc.handle.dir, record.pdf.path));
  assert.equal(countPdfPages(pdf), record.pages);
});
