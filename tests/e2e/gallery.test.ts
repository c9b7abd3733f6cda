// The gallery browser: the known models of the bundled default gallery with their limits shown,
// the families views (dendrogram, similarity heatmap, 2D map) as plotly actually drew them, and
// enrolment of a small model from a folder through the form, one of its reference images removed
// after a confirmation, the history with that removal undone, then the model's removal.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { GalleryFamilies, GalleryHistory, GalleryOverview, GalleryReference } from '../../src-engine/api/contract.ts';
import { fixturesDir, screenshot, startApp, type RunningApp } from './support/app.ts';
import { assertOfflineToolbar, drawnChart } from './support/charts.ts';
import { jobCount, runJob } from './support/ui.ts';

let app: RunningApp;

before(async () => {
  app = await startApp('gallery');
});

after(async () => {
  await app?.close();
});

test('gallery browser: models, families, enrolment, removal', async (t) => {
  const { page } = app;
  const browser = page.getByTestId('gallery-browser');
  let overview: GalleryOverview;

  await t.test('opens from the top bar beside the case list and lists every known model', async () => {
    await page.getByRole('button', { name: 'Gallery' }).click();
    await browser.waitFor();
    overview = await app.call<GalleryOverview>('listGallery', {});
    assert.ok(overview.models.length >= 5, 'the default gallery is seeded');
    await page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid=gallery-model]').length === count,
      overview.models.length,
    );
    for (const model of overview.models) {
      const row = browser.locator(`[data-testid=gallery-model][data-model="${model.name}"]`);
      assert.equal(await row.getAttribute('data-state'), model.fingerprintState, model.name);
      assert.equal(await row.getByTestId('weak-reference').count(), model.weakReference ? 1 : 0, `${model.name} weak badge`);
      if (model.parent) assert.match((await row.textContent()) ?? '', new RegExp(`↳ ${model.parent}`));
    }
    // The fixture generators are enrolled from 2-3 images: the browser must say so.
    assert.ok(overview.models.some((model) => model.weakReference));
    assert.match((await browser.getByTestId('gallery-history').textContent()) ?? '', /chain intact/);
  });

  await t.test('families: a dendrogram with every model, the similarity heatmap and the 2D map', async () => {
    const families = await app.call<GalleryFamilies>('getGalleryFamilies', {});
    const n = families.models.length;
    assert.ok(n >= 2);
    const tree = await drawnChart(browser, 'gallery-dendrogram');
    assertOfflineToolbar(tree);
    assert.ok(tree.lines >= 1, 'branches are drawn');
    assert.equal(tree.yTickLabels.length, n, 'one labelled leaf per model');
    assert.deepEqual([...tree.yTickLabels].sort(), [...families.models].sort());
    assert.equal(tree.legendEntries, new Set(families.families).size, 'one legend entry per family');
    await screenshot(page, 'gallery-browser');
    await browser.getByTestId('gallery-families').scrollIntoViewIfNeeded();
    await screenshot(page, 'gallery-dendrogram');

    await browser.getByRole('tab', { name: 'Similarity heatmap' }).click();
    const heatmap = await drawnChart(browser, 'gallery-heatmap');
    assertOfflineToolbar(heatmap);
    assert.deepEqual(
      heatmap.traces.map((trace) => trace.type),
      ['heatmap'],
    );
    assert.equal(heatmap.traces[0]!.points, n, 'an n x n matrix');
    assert.equal(heatmap.heatmapImages, 1);
    await browser.getByTestId('gallery-families').scrollIntoViewIfNeeded();
    await screenshot(page, 'gallery-heatmap');

    await browser.getByRole('tab', { name: '2D map' }).click();
    const map = await drawnChart(browser, 'gallery-map');
    assertOfflineToolbar(map);
    assert.equal(
      map.traces.reduce((sum, trace) => sum + trace.points, 0),
      n,
      'one point per model',
    );
    assert.equal(map.legendEntries, new Set(families.families).size);
    await browser.getByTestId('gallery-families').scrollIntoViewIfNeeded();
    await screenshot(page, 'gallery-map');
  });

  await t.test('enrols a small model from a folder through the form, with progress', async () => {
    await browser.evaluate((element) => element.scrollTo(0, 0));
    const form = page.getByRole('form', { name: 'Enrol a model' });
    await form.locator('input[name=name]').fill('dalle2-e2e');
    await form.locator('input[name=family]').fill('DALL-E');
    await form.locator('input[name=version]').fill('2');
    await form.locator('input[name=source]').fill('Demo images of the fixtures folder');
    await form.locator('select[name=parent]').selectOption('dalle2');
    await form.locator('textarea[name=paths]').fill(path.join(fixturesDir, 'dalle2'));
    const job = await runJob(page, 'gallery-enrol', () => form.getByRole('button', { name: 'Enrol' }).click());
    assert.equal(await job.getAttribute('data-state'), 'done');
    assert.equal(await jobCount(job, 'embedded'), 3);
    assert.equal(await jobCount(job, 'failed'), 0);
    // Three images are too few for a C_T curve; the job says why there is none (or that no encoder is installed).
    assert.match((await job.getByTestId('job-note').textContent()) ?? '', /^No C_T curve: /);

    const row = browser.locator('[data-testid=gallery-model][data-model="dalle2-e2e"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'current');
    assert.equal(await row.getByTestId('weak-reference').count(), 1, 'three images are a weak reference');
    assert.match((await row.textContent()) ?? '', /↳ dalle2/);
    await browser.evaluate((element) => element.scrollTo(0, 0));
    await row.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'gallery-enrol');
    // The families follow: the new model is a leaf of the dendrogram.
    await browser.getByRole('tab', { name: 'Dendrogram' }).click();
    await page.waitForFunction(() => {
      const plot = document.querySelector('[data-testid=gallery-dendrogram] .js-plotly-plot') as (HTMLElement & { layout?: { yaxis?: { ticktext?: string[] } } }) | null;
      return plot?.layout?.yaxis?.ticktext?.some((text) => text.includes('>dalle2-e2e<')) ?? false;
    });
  });

  await t.test('the engine refuses a nameless enrolment, and says so beside the field', async () => {
    const form = page.getByRole('form', { name: 'Enrol a model' });
    await form.locator('textarea[name=paths]').fill(path.join(fixturesDir, 'dalle2'));
    await form.getByRole('button', { name: 'Enrol' }).click();
    await form.getByTestId('field-error').waitFor();
    assert.match((await form.getByTestId('field-error').textContent()) ?? '', /name is required/);
    await form.locator('textarea[name=paths]').fill('');
    // The refused call is logged by the browser as a failed request: expected here, and only that.
    assert.ok(app.pageErrors.every((message) => /status of 400/.test(message)), app.pageErrors.join('\n'));
    app.pageErrors.length = 0;
  });

  await t.test("an existing model's name asks to add to that model before anything is enrolled", async () => {
    const form = page.getByRole('form', { name: 'Enrol a model' });
    await form.locator('input[name=name]').fill('dalle2-e2e');
    await form.locator('textarea[name=paths]').fill(path.join(fixturesDir, 'sd15'));
    const add = form.getByRole('button', { name: 'Add to model' });
    assert.equal(await add.isDisabled(), true, 'not before the examiner confirms');
    await form.getByTestId('enrol-add-existing').locator('input').check();
    await screenshot(page, 'gallery-enrol-existing');
    assert.equal(await add.isDisabled(), false);
    await form.getByTestId('enrol-add-existing').locator('input').uncheck();
    await form.locator('input[name=name]').fill('');
    await form.locator('textarea[name=paths]').fill('');
  });

  await t.test('a reference image is removed after a confirmation, and the history undoes that removal', async () => {
    const row = browser.locator('[data-testid=gallery-model][data-model="dalle2-e2e"]');
    await row.getByRole('button', { name: 'References of dalle2-e2e' }).click();
    const panel = browser.getByTestId('model-references');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=model-reference]').length === 3);
    const references = await app.call<GalleryReference[]>('listGalleryReferences', { name: 'dalle2-e2e' });
    const wrong = references[0]!;
    const reference = panel.locator(`[data-testid=model-reference][data-sha256="${wrong.sha256}"]`);
    await reference.getByRole('button', { name: `Remove ${wrong.originalName}` }).click();
    await reference.getByTestId('confirm-remove-reference').waitFor();
    await reference.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'gallery-remove-reference');
    await reference.getByRole('button', { name: 'Remove', exact: true }).click();
    await reference.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=model-reference]').length === 2);
    await page.waitForFunction(() => /\b2\b/.test(document.querySelector('[data-testid=gallery-model][data-model="dalle2-e2e"] td.num')?.textContent ?? ''));

    const history = browser.getByTestId('gallery-history-view');
    const latest = history.getByTestId('history-entry').first();
    await page.waitForFunction(() => document.querySelector('[data-testid=history-entry]')?.getAttribute('data-action') === 'reference.removed');
    assert.match((await latest.textContent()) ?? '', new RegExp(`reference removed.*dalle2-e2e.*${wrong.originalName.replace('.', '\\.')} removed, 2 reference images left`));
    assert.equal(await history.getByTestId('history-chain').getAttribute('data-ok'), 'true');
    await history.getByTestId('undo-last').click();
    await history.getByTestId('confirm-undo').waitFor();
    assert.match((await history.getByTestId('confirm-undo').textContent()) ?? '', /Undo entry \d+, reference removed of dalle2-e2e\?/);
    await history.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'gallery-history-undo');
    await history.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=history-entry]')?.getAttribute('data-action') === 'change.undone');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=model-reference]').length === 3);
    assert.match((await history.getByTestId('undo-refusal').textContent()) ?? '', /itself an undo/);
    const after = await app.call<GalleryHistory>('getGalleryHistory', {});
    assert.deepEqual([after.verification.ok, after.entries[0]?.action, after.entries[1]?.action], [true, 'change.undone', 'reference.removed']);
    assert.deepEqual((await app.call<GalleryReference[]>('listGalleryReferences', { name: 'dalle2-e2e' })).map((r) => r.sha256).sort(), references.map((r) => r.sha256).sort());
    await history.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'gallery-history');
    await panel.getByRole('button', { name: 'Close' }).click();
  });

  await t.test('removes the model after a confirmation', async () => {
    const row = browser.locator('[data-testid=gallery-model][data-model="dalle2-e2e"]');
    await row.getByRole('button', { name: 'Remove dalle2-e2e' }).click();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    const after = await app.call<GalleryOverview>('listGallery', {});
    assert.equal(after.models.length, overview.models.length);
    assert.deepEqual(app.pageErrors, []);
  });

  await t.test('two fingerprints swapped behind the application\'s back are said so beside the history', async () => {
    const gallery = new Database(path.join(app.home, 'gallery.sqlite'));
    const swap = () => {
      const [a, b] = gallery.prepare('SELECT rowid, embedding FROM fingerprints ORDER BY model_id LIMIT 2').all() as Array<{ rowid: number; embedding: Buffer }>;
      gallery.prepare('UPDATE fingerprints SET embedding = ? WHERE rowid = ?').run(b!.embedding, a!.rowid);
      gallery.prepare('UPDATE fingerprints SET embedding = ? WHERE rowid = ?').run(a!.embedding, b!.rowid);
    };
    swap();
    await page.reload();
    await page.getByRole('button', { name: 'Gallery' }).click();
    await browser.getByTestId('gallery-history').getByText('2 records changed outside the application').waitFor();
    await screenshot(page, 'gallery-record-changed');
    swap();
    gallery.close();
    await page.reload();
    await page.getByRole('button', { name: 'Gallery' }).click();
    await browser.getByTestId('gallery-history').getByText('chain intact').waitFor();
  });
});
