// Spectral fingerprints in the UI: fingerprint the fixtures from the case view, read one item's
// residual and spectra, average a selection, and compare Stable Diffusion 1.5 with SDXL. The
// charts are checked for what plotly actually drew, not just for their containers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CaseSummary, EvidenceDetail, EvidencePage } from '../../src-engine/api/contract.ts';
import { fixturesDir, screenshot, startApp, tempDir, type RunningApp } from './support/app.ts';
import { assertOfflineToolbar, drawnChart } from './support/charts.ts';
import { importPaths, jobCount, runJob } from './support/ui.ts';

let app: RunningApp;
let brokenDir: string;

before(async () => {
  brokenDir = tempDir('spectra-broken');
  fs.writeFileSync(path.join(brokenDir, 'notes.png'), 'Not a picture at all.\n');
  app = await startApp('spectra');
});

after(async () => {
  await app?.close();
  fs.rmSync(brokenDir, { recursive: true, force: true });
});

test('spectrum views: fingerprint, one item, a selection, A against B', async (t) => {
  const { page } = app;
  const grid = page.getByTestId('evidence-grid');
  const cellAt = (index: number) => grid.locator(`[data-testid=evidence-cell][data-index="${index}"]`);
  const selectionCount = page.getByTestId('selection-count');
  /** List positions of the items of one generator, from where each was imported. */
  let positionsOf: (generator: string) => number[] = () => [];

  await t.test('imports the SD 1.5 and SDXL fixtures and a file that is no image', async () => {
    const created = await app.call<CaseSummary>('createCase', {
      number: '2025-0177',
      title: 'Which generator made the campaign images?',
      examiner: 'Dr. A. Examiner',
    });
    await page.reload();
    await page.getByRole('button', { name: '2025-0177' }).click();
    const job = await importPaths(page, [path.join(fixturesDir, 'sd15'), path.join(fixturesDir, 'sdxl'), brokenDir]);
    assert.equal(await jobCount(job, 'imported'), 6);
    assert.equal(await jobCount(job, 'not analysable'), 1);
    await page.getByTestId('job-progress').getByRole('button', { name: 'Dismiss' }).click();

    const listed = await app.call<EvidencePage>('listEvidence', { caseId: created.id, offset: 0, limit: 100 });
    const details = await Promise.all(
      listed.items.map((item) => app.call<EvidenceDetail>('getEvidence', { caseId: created.id, itemId: item.id })),
    );
    positionsOf = (generator) =>
      details.flatMap((detail, index) => (detail.originalPath.split(/[/\\]/).includes(generator) ? [index] : []));
    assert.equal(positionsOf('sd15').length, 3);
    assert.equal(positionsOf('sdxl').length, 3);
  });

  await t.test('fingerprints every item from the case view, skipping the one without pixels', async () => {
    const job = await runJob(page, 'fingerprint', () => page.getByRole('button', { name: 'Fingerprint all' }).click());
    assert.equal(await job.getAttribute('data-state'), 'done');
    assert.equal(await jobCount(job, 'computed'), 6);
    assert.equal(await jobCount(job, 'skipped'), 1);
    assert.equal(await jobCount(job, 'failed'), 0);
    assert.match((await job.getByTestId('job-provider').textContent()) ?? '', /^on \w+/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=fingerprint-marker]').length === 6);
    await page.getByTestId('job-progress').getByRole('button', { name: 'Dismiss' }).click();
  });

  await t.test("an item's residual, 2D spectrum and radial spectrum", async () => {
    const [first] = positionsOf('sd15');
    await cellAt(first!).click();
    const detail = page.getByTestId('item-detail');
    const section = detail.getByTestId('item-spectrum');
    await section.getByTestId('fingerprint-facts').waitFor();

    const heatmap = await drawnChart(section, 'spectrum-2d');

    assertOfflineToolbar(heatmap);
    assert.ok(heatmap.svg, 'plotly drew its SVG');
    assert.deepEqual(
      heatmap.traces.map((trace) => trace.type),
      ['heatmap'],
    );
    assert.ok(heatmap.traces[0]!.points >= 64, `a 2D spectrum has rows, got ${heatmap.traces[0]!.points}`);
    assert.equal(heatmap.heatmapImages, 1, 'the heatmap is painted');
    const radial = await drawnChart(section, 'spectrum-radial');
    assertOfflineToolbar(radial);
    assert.equal(radial.traces.length, 1);
    assert.ok(radial.traces[0]!.points >= 20, `the radial spectrum has points, got ${radial.traces[0]!.points}`);
    assert.equal(radial.lines, 1);

    const residual = section.getByTestId('residual-image');
    await residual.waitFor();
    const shown = await residual.evaluate((image: HTMLImageElement) => ({
      natural: image.naturalWidth,
      width: image.width,
      rendering: getComputedStyle(image).imageRendering,
    }));
    assert.ok(shown.natural > 0, 'the residual PNG decodes');
    assert.equal(shown.width % shown.natural, 0, 'enlarged by a whole number, so pixels stay square');
    assert.equal(shown.rendering, 'pixelated');
    assert.equal(await section.getByTestId('spectrum-items').textContent(), '1');
  });

  await t.test('the same item in the wide spectra panel', async () => {
    await page.getByRole('button', { name: 'Spectra', exact: true }).click();
    const view = page.getByTestId('spectrum-panel').getByTestId('spectrum-view');
    await view.getByTestId('residual-image').waitFor();
    assert.equal((await drawnChart(view, 'spectrum-2d')).heatmapImages, 1);
    assert.equal((await drawnChart(view, 'spectrum-radial')).lines, 1);
    await screenshot(page, 'spectrum-item');
    await page.getByRole('button', { name: 'Close spectra' }).click();
  });

  await t.test('an item without pixels says it cannot be fingerprinted', async () => {
    await grid.locator('[data-testid=evidence-cell][data-name="notes.png"]').click();
    const refusal = page.getByTestId('item-detail').getByTestId('not-fingerprintable');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /Not fingerprintable: not analysable item/);
  });

  await t.test('select all, clear, and Ctrl-click toggling', async () => {
    await page.getByRole('button', { name: 'Select all' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=selection-count]')?.getAttribute('data-count') === '7');
    await page.getByRole('button', { name: 'Clear selection' }).click();
    assert.equal(await selectionCount.getAttribute('data-count'), '0');
    const [a, b] = positionsOf('sdxl');
    await cellAt(a!).click({ modifiers: ['ControlOrMeta'] });
    await cellAt(b!).click({ modifiers: ['ControlOrMeta'] });
    assert.equal(await selectionCount.getAttribute('data-count'), '2');
    await cellAt(b!).click({ modifiers: ['ControlOrMeta'] });
    assert.equal(await selectionCount.getAttribute('data-count'), '1');
    assert.equal(await grid.locator('[data-testid=evidence-cell].selected').count(), 1);
  });

  await t.test('the three SD 1.5 items, selected as a range, averaged', async () => {
    await page.getByRole('button', { name: 'Spectra', exact: true }).click();
    const panel = page.getByTestId('spectrum-panel');
    const sd15 = positionsOf('sd15');
    await cellAt(sd15[0]!).click();
    await cellAt(sd15[2]!).click({ modifiers: ['Shift'] });
    await page.waitForFunction(() => document.querySelector('[data-testid=selection-count]')?.getAttribute('data-count') === '3');

    const view = panel.getByTestId('spectrum-view');
    await panel.locator('[data-testid=spectrum-view][data-items="3"]').waitFor();
    assert.equal(await view.getByTestId('spectrum-items').textContent(), '3');
    // Each fixture is 512 px square: a 3 x 3 window of crops per image.
    assert.equal(await view.getByTestId('spectrum-crops').textContent(), '27');
    assert.equal((await drawnChart(view, 'spectrum-2d')).traces.length, 1);
    assert.equal((await drawnChart(view, 'spectrum-radial')).lines, 1);
    assert.equal(await view.getByTestId('residual-image').count(), 0, 'no residual picture for an average');

    // An item without pixels in the selection is left out of the average, and said to be.
    await grid.locator('[data-testid=evidence-cell][data-name="notes.png"]').click({ modifiers: ['ControlOrMeta'] });
    assert.equal(await selectionCount.getAttribute('data-count'), '4');
    assert.match((await panel.getByTestId('left-out').textContent()) ?? '', /1 not analysable item left out/);
    assert.equal(await view.getByTestId('spectrum-items').textContent(), '3');
    await screenshot(page, 'spectrum-selection');
  });

  await t.test('SD 1.5 as A and SDXL as B: overlaid, side by side, and their difference', async () => {
    const panel = page.getByTestId('spectrum-panel');
    await panel.getByRole('button', { name: 'Set as A' }).click();
    assert.equal(await panel.getByTestId('slot-A').getAttribute('data-items'), '3');
    await panel.getByLabel('Name of A').fill('Stable Diffusion 1.5');

    const sdxl = positionsOf('sdxl');
    await cellAt(sdxl[0]!).click();
    await cellAt(sdxl[1]!).click({ modifiers: ['ControlOrMeta'] });
    await cellAt(sdxl[2]!).click({ modifiers: ['ControlOrMeta'] });
    assert.equal(await selectionCount.getAttribute('data-count'), '3');
    await panel.getByRole('button', { name: 'Set as B' }).click();
    await panel.getByLabel('Name of B').fill('Stable Diffusion XL');
    await panel.getByLabel('Name of B').blur();

    const comparison = panel.getByTestId('spectrum-comparison');
    const overlay = await drawnChart(comparison, 'compare-radial');
    assertOfflineToolbar(overlay);
    assert.deepEqual(
      overlay.traces.map((trace) => trace.name),
      ['A · Stable Diffusion 1.5', 'B · Stable Diffusion XL'],
    );
    assert.equal(overlay.lines, 2);
    assert.equal(overlay.legendEntries, 2);
    const pair = await drawnChart(comparison, 'compare-2d');
    assertOfflineToolbar(pair);
    assert.equal(pair.traces.length, 2);
    assert.equal(pair.heatmapImages, 2);
    const difference = await drawnChart(comparison, 'compare-difference');
    assertOfflineToolbar(difference);
    assert.deepEqual(
      difference.traces.map((trace) => trace.name),
      ['A − B'],
    );
    await screenshot(page, 'spectrum-compare');
  });

  await t.test('the page reported no errors of its own', () => {
    assert.deepEqual(app.pageErrors, []);
  });
});
