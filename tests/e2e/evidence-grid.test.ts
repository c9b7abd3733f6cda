// The evidence grid with a few hundred items: only what is on screen is in the DOM, and after
// scrolling the cells show exactly the items the engine lists at those positions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { CaseSummary, EvidencePage } from '../../src-engine/api/contract.ts';
import { screenshot, startApp, tempDir, type RunningApp } from './support/app.ts';
import { importPaths, jobCount, runJob } from './support/ui.ts';

const COUNT = 300;
/** A second batch, big enough that it is still running when the test cancels it. */
const MORE = 400;

/** Small, distinct (so never duplicates) and colourful (so the screenshots show something) PNGs. */
async function writeManyPngs(dir: string, count: number, first = 0): Promise<void> {
  const size = 96;
  for (let n = first; n < first + count; n++) {
    const raw = Buffer.alloc(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = (y * size + x) * 3;
        raw[i] = (n * 37 + x * 2) & 255;
        raw[i + 1] = (n * 11 + y * 2) & 255;
        raw[i + 2] = (n * 5 + (x ^ y)) & 255;
      }
    }
    // The colour pattern repeats every 256 images; the first pixel keeps each file unique.
    raw[0] = n & 255;
    raw[1] = n >> 8;
    const name = `exhibit-${String(n + 1).padStart(4, '0')}.png`;
    fs.writeFileSync(path.join(dir, name), await sharp(raw, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer());
  }
}

let app: RunningApp;
let imagesDir: string;
let moreImagesDir: string;

before(async () => {
  imagesDir = tempDir('many');
  moreImagesDir = tempDir('more');
  await writeManyPngs(imagesDir, COUNT);
  await writeManyPngs(moreImagesDir, MORE, COUNT);
  app = await startApp('grid');
});

after(async () => {
  await app?.close();
  fs.rmSync(imagesDir, { recursive: true, force: true });
  fs.rmSync(moreImagesDir, { recursive: true, force: true });
});

test('the grid renders only visible rows and the right items after scrolling', async () => {
  const { page } = app;
  const created = await app.call<CaseSummary>('createCase', {
    number: '2025-0150',
    title: 'Seized laptop: generated profile images',
    examiner: 'Dr. A. Examiner',
  });
  await page.reload();
  await page.getByRole('button', { name: '2025-0150' }).click();

  const job = await importPaths(page, [imagesDir]);
  assert.equal(await jobCount(job, 'imported'), COUNT);

  const grid = page.getByTestId('evidence-grid');
  await page.waitForFunction((count) => document.querySelector('[data-testid=evidence-grid]')?.getAttribute('data-total') === String(count), COUNT);
  const columns = Number(await grid.getAttribute('data-columns'));
  assert.ok(columns >= 4, `expected several columns at 1440 px, got ${columns}`);
  const rendered = await page.getByTestId('evidence-cell').count();
  assert.ok(rendered < COUNT / 2, `only the visible rows should be in the DOM, found ${rendered} cells`);

  const listed = await app.call<EvidencePage>('listEvidence', { caseId: created.id, offset: 0, limit: COUNT });
  async function expectItemAt(index: number) {
    const cell = page.locator(`[data-testid=evidence-cell][data-index="${index}"]`);
    await cell.waitFor({ state: 'attached' });
    assert.equal(await cell.getAttribute('data-name'), listed.items[index]!.originalName, `item at index ${index}`);
  }

  await grid.evaluate((element) => (element.scrollTop = element.scrollHeight / 2));
  await expectItemAt(150);
  await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expectItemAt(COUNT - 1);
  assert.equal(await page.locator('[data-testid=evidence-cell][data-index="0"]').count(), 0, 'the first row left the DOM');
  // Thumbnails arrive for the rows now on screen.
  await page.locator(`[data-testid=evidence-cell][data-index="${COUNT - 1}"] img[src^="blob:"]`).waitFor();
  assert.ok((await page.getByTestId('evidence-cell').count()) < COUNT / 2);

  await grid.evaluate((element) => (element.scrollTop = 0));
  await expectItemAt(0);
  await page.locator('[data-testid=evidence-cell][data-index="0"] img[src^="blob:"]').waitFor();
  assert.deepEqual(app.pageErrors, []);
});

test('the toolbar searches and sorts through the engine; cells show item number and source folder', async () => {
  const { page } = app;
  const grid = page.getByTestId('evidence-grid');
  const first = page.locator('[data-testid=evidence-cell][data-index="0"]');
  assert.equal(await first.getByTestId('item-number').textContent(), '#1');
  assert.equal(await first.getByTestId('item-folder').textContent(), imagesDir);
  const toolbar = page.getByTestId('grid-toolbar');
  await toolbar.getByRole('searchbox', { name: 'Search the evidence' }).fill('exhibit-012');
  await page.waitForFunction(() => document.querySelector('[data-testid=evidence-grid]')?.getAttribute('data-total') === '10');
  assert.match((await page.getByTestId('grid-count').textContent()) ?? '', /10 of 300 items/);
  assert.equal(await first.getAttribute('data-name'), 'exhibit-0120.png');
  await screenshot(page, 'grid-search');
  await toolbar.getByRole('button', { name: 'Clear' }).click();
  await page.waitForFunction((count) => document.querySelector('[data-testid=evidence-grid]')?.getAttribute('data-total') === String(count), COUNT);
  await toolbar.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
  await toolbar.getByRole('button', { name: 'Ascending' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=evidence-cell][data-index="0"]')?.getAttribute('data-name') === 'exhibit-0300.png');
  await toolbar.getByRole('button', { name: 'Descending' }).click();
  await toolbar.getByRole('combobox', { name: 'Sort by' }).selectOption('item');
  await page.waitForFunction(() => document.querySelector('[data-testid=evidence-cell][data-index="0"]')?.getAttribute('data-name') === 'exhibit-0001.png');
  assert.equal(await grid.getAttribute('data-total'), String(COUNT));
  assert.deepEqual(app.pageErrors, []);
});

test('an import in progress shows its progress and can be cancelled', async () => {
  const { page } = app;
  const job = await runJob(page, 'import', async () => {
    await page.getByRole('button', { name: 'Import evidence…' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.locator('textarea[name=paths]').fill(moreImagesDir);
    await dialog.getByRole('button', { name: 'Start import' }).click();
    const running = page.locator('[data-testid=job-progress][data-state=running]');
    await page.waitForFunction(() => {
      const figures = document.querySelector('[data-testid=job-progress][data-state=running] [data-testid=job-figures]');
      return Number(figures?.textContent?.split('/')[0]?.replace(/,/g, '') ?? 0) >= 20;
    });
    await screenshot(page, 'import-progress');
    await running.getByRole('button', { name: 'Cancel' }).click();
  });
  assert.equal(await job.getAttribute('data-state'), 'cancelled');
  const imported = await jobCount(job, 'imported');
  assert.ok(imported >= 20 && imported < MORE, `imported ${imported} of ${MORE} before the cancel`);
  await page.waitForFunction(
    (total) => document.querySelector('[data-testid=evidence-grid]')?.getAttribute('data-total') === String(total),
    COUNT + imported,
  );
});
