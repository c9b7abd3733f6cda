// The examiner marks what matters while examining: tags an item, narrows the grid to a tag,
// bookmarks items, and the report's item picker then starts from the bookmarks (as in Amped
// Authenticate) and can choose the items of a tag; the Conclusions tab writes what the report states.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CaseSummary, ExaminerStatement } from '../../src-engine/api/contract.ts';
import { fixturesDir, screenshot, startApp, type RunningApp } from './support/app.ts';
import { importPaths, jobCount } from './support/ui.ts';

let app: RunningApp;

before(async () => {
  app = await startApp('markings');
});

after(async () => {
  await app?.close();
});

test('tags, bookmarks, the grid filter, the report picker and the conclusions', async (t) => {
  const { page } = app;
  const created = await app.call<CaseSummary>('createCase', { number: '2026-0420', title: 'Images posted by a suspected sock-puppet account', examiner: 'Dr. A. Examiner' });
  const caseId = created.id;
  await page.reload();
  await page.getByRole('button', { name: '2026-0420' }).click();
  const job = await importPaths(page, [fixturesDir]);
  assert.equal(await jobCount(job, 'imported'), 14);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 14);
  await job.getByRole('button', { name: 'Dismiss' }).click();

  const detail = page.getByTestId('item-detail');
  const markings = detail.getByTestId('item-markings');
  const cell = (index: number) => page.locator(`[data-testid=evidence-cell][data-index="${index}"]`);

  await t.test('a tag added in the item detail shows in the detail, the grid cell and the custody', async () => {
    for (const index of [0, 2]) {
      await cell(index).click();
      await markings.getByRole('combobox', { name: 'New tag' }).fill('  same scene  ');
      await markings.getByRole('button', { name: 'Add tag' }).click();
      await markings.locator('[data-testid=item-tag][data-tag="same scene"]').waitFor();
    }
    await detail.locator('[data-testid=custody-event][data-action=tag_added]').waitFor();
    await cell(2).getByTestId('cell-tags').filter({ hasText: 'same scene' }).waitFor();
    // A tag with a control character is refused with the reason, and nothing is added.
    await markings.getByRole('combobox', { name: 'New tag' }).fill('bad\u0007tag');
    await markings.getByRole('button', { name: 'Add tag' }).click();
    assert.equal(await markings.getByTestId('tag-error').textContent(), 'A tag cannot hold control or invisible characters.');
    assert.equal(await markings.getByTestId('item-tag').count(), 1);
  });

  await t.test('bookmarking with a comment marks the cell', async () => {
    await cell(5).click();
    await markings.getByRole('button', { name: '★ Bookmark' }).click();
    await cell(5).getByTestId('bookmark-marker').waitFor();
    await cell(2).click();
    await markings.getByRole('textbox', { name: 'Bookmark comment' }).fill('Same kitchen as the claim photos');
    await markings.getByRole('button', { name: '★ Bookmark' }).click();
    await markings.locator('[data-testid=item-bookmark][data-bookmarked=true]').waitFor();
    await cell(2).getByTestId('bookmark-marker').waitFor();
    await markings.scrollIntoViewIfNeeded();
    await screenshot(page, 'item-markings');
  });

  await t.test('the grid filters by tag', async () => {
    await page.getByTestId('tag-filter').selectOption('same scene');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 2);
    assert.match((await page.getByTestId('grid-count').textContent()) ?? '', /2 of 14 items/);
    await screenshot(page, 'grid-tag-filter');
    await page.getByTestId('grid-toolbar').getByRole('button', { name: 'Clear' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 14);
  });

  await t.test('the grid selection is tagged in one go from the selection bar', async () => {
    await cell(7).click();
    await cell(9).click({ modifiers: ['Shift'] });
    await page.locator('[data-testid=selection-count][data-count="3"]').waitFor();
    await page.getByTestId('selection-tag').fill('batch three');
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Tag 3' }).click();
    for (const index of [7, 8, 9]) await cell(index).getByTestId('cell-tags').filter({ hasText: 'batch three' }).waitFor();
    assert.equal(await cell(6).getByTestId('cell-tags').count(), 0);
    await screenshot(page, 'selection-tagged');
    await page.getByTestId('selection-bar').getByRole('button', { name: 'Clear selection' }).click();
  });

  await t.test('the report picker starts from the bookmarks and can choose a tag', async () => {
    const bookmarked = (await app.call<Array<{ itemId: number }>>('listBookmarks', { caseId })).map((b) => b.itemId);
    assert.equal(bookmarked.length, 2);
    await page.getByRole('tab', { name: 'Report' }).click();
    const radio = page.getByTestId('report-bookmarked');
    await page.waitForFunction(() => (document.querySelector('[data-testid=report-bookmarked]') as HTMLInputElement | null)?.checked === true);
    assert.equal(await radio.isChecked(), true);
    assert.match((await page.getByTestId('report-chosen-count').textContent()) ?? '', new RegExp(`2 bookmarked of 14 items: #${bookmarked[0]}, #${bookmarked[1]}`));
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.frameLocator('[data-testid=report-preview]');
    await preview.getByText('(all bookmarked by the examiner)').waitFor();
    await preview.getByText('Same kitchen as the claim photos').first().waitFor();
    await preview.getByText('The examiner has written no conclusions for this report').waitFor();

    await page.getByRole('radio', { name: 'Chosen items' }).check();
    await page.getByTestId('report-pick-tag').selectOption('same scene');
    await page.waitForFunction(() => /2 of 14 items chosen/.test(document.querySelector('[data-testid=report-chosen-count]')?.textContent ?? ''));
    await screenshot(page, 'report-picker-bookmarks');
  });

  await t.test('the Conclusions tab stores conclusions, the confirmed declaration, the signature block and the review', async () => {
    await page.getByRole('tab', { name: 'Conclusions' }).click();
    const panel = page.getByTestId('statement-panel');
    await panel.getByRole('textbox', { name: 'Conclusions' }).fill('Items tagged "same scene" show the same room; no attribution to a known model.');
    await panel.getByTestId('declaration-confirmed').check();
    await panel.getByRole('textbox', { name: 'Name' }).fill('Dr. A. Examiner');
    await panel.getByRole('textbox', { name: 'Role' }).fill('Senior digital forensic examiner');
    await panel.getByRole('textbox', { name: 'Organisation' }).fill('Regional Forensic Laboratory');
    await panel.getByLabel('Signature date').fill('2026-12-02');
    await panel.getByRole('textbox', { name: 'Reviewer', exact: true }).fill('M. Okafor');
    await panel.getByLabel('Review date').fill('2026-12-01');
    await panel.getByRole('combobox', { name: 'Review outcome' }).selectOption('agreed-with-comments');
    await panel.getByRole('textbox', { name: "Reviewer's comments" }).fill('Agree; add the EXIF comparison to the file.');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByTestId('statement-saved').waitFor();
    const stored = await app.call<ExaminerStatement>('getStatement', { caseId });
    assert.equal(stored.signature.organisation, 'Regional Forensic Laboratory');
    assert.equal(stored.review.outcome, 'agreed-with-comments');
    assert.deepEqual([stored.signature.date, stored.review.date], ['2026-12-02', '2026-12-01']);
    assert.notEqual(stored.declaration.confirmedUtc, null);
    await screenshot(page, 'conclusions-panel');

    await page.getByRole('tab', { name: 'Report' }).click();
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.frameLocator('[data-testid=report-preview]');
    await preview.getByText('no attribution to a known model').waitFor();
    await preview.getByText('agreed, with the comments below').waitFor();
  });
});
