// Attribution in the UI against the real engine: import images of generators the gallery knows
// and of generators it does not, attribute every item and read the decisions, the flags that limit
// them and the calibration behind them; attribute a selection as one set; verify set A against
// set B; and look at the C_T curve, both of a case too small for one and of a set large enough.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { AttributionRecord, CaseCurves, CaseSummary, EvidenceDetail, EvidencePage } from '../../src-engine/api/contract.ts';
import { fixturesDir, repoRoot, screenshot, startApp, type RunningApp } from './support/app.ts';
import { assertOfflineToolbar, drawnChart } from './support/charts.ts';
import { importPaths, jobCount, runJob } from './support/ui.ts';

/** The committed demo set: known/ (gallery models), unknown/ (models not in it), ct-set/ (one model, many images). */
const demoDir = path.join(repoRoot, 'tests', 'fixtures', 'attribution');
const DECISION_HEADLINE = { attributed: /^Attributed to /, tied: /^Not told apart: /, inconclusive: /^Inconclusive$/, 'no-known-model': /^No known model$/ } as const;

let app: RunningApp;

before(async () => {
  app = await startApp('attribution');
});

after(async () => {
  await app?.close();
});

/** Items of the case with the folder each came from (its original path), in grid order. */
async function itemsWithFolders(caseId: string): Promise<Array<{ id: number; index: number; name: string; folder: string }>> {
  const listed = await app.call<EvidencePage>('listEvidence', { caseId, offset: 0, limit: 2000 });
  const details = await Promise.all(listed.items.map((item) => app.call<EvidenceDetail>('getEvidence', { caseId, itemId: item.id })));
  return details.map((detail, index) => ({
    id: detail.id,
    index,
    name: detail.originalName,
    folder: path.basename(path.dirname(detail.originalPath)),
  }));
}

test('attribution: decisions, flags, calibration, a set, A against B', async (t) => {
  const { page } = app;
  const panel = page.getByTestId('attribution-panel');
  const grid = page.getByTestId('evidence-grid');
  /** The grid cell at a list position, scrolled into view first: the grid renders only the rows on screen. */
  async function cellAt(index: number) {
    const cell = grid.locator(`[data-testid=evidence-cell][data-index="${index}"]`);
    if ((await cell.count()) === 0) {
      await grid.evaluate((element, [i, n]) => (element.scrollTop = (element.scrollHeight * i!) / n! - element.clientHeight / 2), [index, items.length]);
      await cell.waitFor();
    }
    await cell.scrollIntoViewIfNeeded();
    return cell;
  }
  let caseId = '';
  let items: Awaited<ReturnType<typeof itemsWithFolders>> = [];

  await t.test('imports the fixture generators and the demo set of known and unknown models', async () => {
    const created = await app.call<CaseSummary>('createCase', {
      number: '2026-0311',
      title: 'Which model made the seized images?',
      examiner: 'Dr. A. Examiner',
    });
    caseId = created.id;
    await page.reload();
    await page.getByRole('button', { name: '2026-0311' }).click();
    const paths = [...['known', 'unknown'].map((set) => path.join(demoDir, set)).filter((dir) => fs.existsSync(dir)), fixturesDir];
    const job = await importPaths(page, paths);
    assert.equal(await jobCount(job, 'failed'), 0);
    await page.getByTestId('job-progress').getByRole('button', { name: 'Dismiss' }).click();
    items = await itemsWithFolders(caseId);
    assert.ok(items.length >= 14);
  });

  await t.test('the attribution panel explains itself before the first run', async () => {
    await page.getByRole('button', { name: 'Attribution', exact: true }).click();
    await panel.getByTestId('attribution-hint').waitFor();
  });

  await t.test('attributes every item from the case view, with progress, and records the run', async () => {
    const job = await runJob(page, 'attribution', () => panel.getByRole('button', { name: `Attribute all ${items.length} items` }).click(), 180_000);
    assert.equal(await job.getAttribute('data-state'), 'done');
    await panel.getByTestId('attribution-record').waitFor();
    const [record] = await app.call<AttributionRecord[]>('listAttributions', { caseId });
    assert.ok(record);
    assert.equal(record.items.length, items.length, 'every item has a result');

    // Every item shows the engine's decision, honestly worded and styled by its kind.
    await panel.getByRole('button', { name: 'Expand all' }).click();
    const cards = panel.getByTestId('item-attribution');
    assert.equal(await cards.count(), record.items.length);
    for (const result of record.items) {
      const card = panel.locator(`[data-testid=item-attribution][data-item="${result.itemId}"]`);
      assert.equal(await card.getAttribute('data-decision'), result.decision.kind, result.originalName);
      const headline = (await card.getByTestId('decision-headline').textContent()) ?? '';
      assert.match(headline, DECISION_HEADLINE[result.decision.kind]);
      if (result.decision.kind === 'attributed') assert.equal(headline, `Attributed to ${result.decision.model}`);
      // What qualifies the decision is on the card: the evidence's condition, why it is outside the validated range, the tied models.
      assert.equal((await card.getByTestId('evidence-condition').textContent())?.includes(result.evidenceCondition), true, `${result.originalName} condition`);
      assert.equal(await card.getByTestId('out-of-validity').locator('li').count(), result.decision.outOfValidity.length, `${result.originalName} validity`);
      if (result.decision.kind === 'tied') {
        const tied = (await card.getByTestId('tied-models').textContent()) ?? '';
        for (const name of [result.decision.candidate, ...result.decision.alsoSupported]) assert.ok(tied.includes(name), `${result.originalName} ties ${name}`);
      }
      assert.equal(await card.getByTestId('calibration-validation').count(), 1, `${result.originalName} validation figures`);
      assert.equal(await card.getByTestId('reference-overlap').count(), result.referenceOverlap ? 1 : 0, `${result.originalName} overlap flag`);
      assert.equal(await card.getByTestId('calibration-ref').getAttribute('data-calibration'), result.calibrationId);
    }
    // The fixture images are the default gallery's own (weak) references: flagged, not passed off as evidence.
    const fixtureItems = record.items.filter((result) => items.find((item) => item.id === result.itemId)?.folder !== 'known');
    assert.ok(fixtureItems.some((result) => result.referenceOverlap !== null), 'fixture images overlap their references');
    assert.ok((await panel.getByTestId('weak-reference').count()) > 0, 'weak references are flagged on their candidates');
    const tally = (await panel.getByTestId('attribution-tally').textContent()) ?? '';
    const count = (kind: string) => record.items.filter((result) => result.decision.kind === kind).length;
    assert.match(tally, new RegExp(`${count('attributed')} attributed`));
    assert.match(tally, new RegExp(`${count('tied')} not told apart`));
    assert.match(tally, new RegExp(`${count('inconclusive')} inconclusive`));
    assert.match(tally, new RegExp(`${count('no-known-model')} no known model`));
    assert.ok(((await panel.getByTestId('population').first().textContent()) ?? '').includes(record.propositions.population), 'the relevant population is stated');
    // How the engine did on the demo set's truth is the CLI tests' business; the run's figures go to the log.
    const folderOf = (itemId: number) => items.find((item) => item.id === itemId)?.folder;
    const stemOf = (name: string) => name.replace(/-\d{3}\.png$/, '');
    const known = record.items.filter((result) => folderOf(result.itemId) === 'known');
    const unknown = record.items.filter((result) => folderOf(result.itemId) === 'unknown');
    t.diagnostic(`known: ${known.filter((r) => r.decision.model === stemOf(r.originalName)).length}/${known.length} attributed to their model`);
    t.diagnostic(`unknown: ${unknown.filter((r) => r.decision.kind === 'no-known-model').length}/${unknown.length} no known model`);
    for (const result of unknown.filter((r) => r.decision.kind === 'attributed')) {
      t.diagnostic(`unknown ${result.originalName} attributed to ${result.decision.model} (log10 LR ${result.decision.log10Lr.toFixed(2)})`);
    }
    await screenshot(page, 'attribution-result');

    // Folded, the run reads as a column of decisions; show the first "no known model" among its neighbours.
    await panel.getByRole('button', { name: 'Fold all' }).click();
    const rejected = panel.locator('[data-testid=item-attribution][data-decision=no-known-model]').first();
    if ((await rejected.count()) > 0) await rejected.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'attribution-decisions');
    await panel.getByTestId('attribution-record').evaluate((element) => element.scrollIntoView({ block: 'start' }));
  });

  await t.test("a result's calibration opens its Tippett plot with the result marked", async () => {
    await panel.getByRole('button', { name: 'Expand all' }).click();
    const card = panel.getByTestId('item-attribution').first();
    await card.getByTestId('calibration-ref').getByRole('button').click();
    const view = panel.getByTestId('calibration-view');
    await view.waitFor();
    const tippett = await drawnChart(view, 'tippett-plot');
    assertOfflineToolbar(tippett);
    assert.deepEqual(
      tippett.traces.map((trace) => trace.name),
      ['same model (Hp true)', 'different model (Hd true)'],
    );
    assert.equal(tippett.lines, 2);
    assert.equal(tippett.legendEntries, 2);
    assert.ok(tippett.axisTitles.some((title) => title.includes('threshold')), 'the x axis is labelled');
    assert.ok((await view.getByTestId('calibration-row').count()) >= 1);
    // The plot says which generators its LRs are from; the populations list their generators.
    const source = await view.getByTestId('tippett-source').getAttribute('data-source');
    assert.match((await view.getByTestId('tippett-source').textContent()) ?? '', source === 'validation' ? /validation generators/ : /not validated on real generators/);
    await view.getByTestId('calibration-population').locator('summary').click();
    assert.ok((await view.getByTestId('calibration-population').getByTestId('population-member').count()) >= 1);
    await screenshot(page, 'attribution-tippett');
  });

  await t.test('attributes three images of one generator as one set: mean pooling and DeepSets', async () => {
    await panel.getByRole('tab', { name: 'Candidates' }).click();
    const sd15 = items.filter((item) => item.folder === 'sd15');
    await (await cellAt(sd15[0]!.index)).click();
    for (const item of sd15.slice(1)) await (await cellAt(item.index)).click({ modifiers: ['ControlOrMeta'] });
    await page.waitForFunction(() => document.querySelector('[data-testid=selection-count]')?.getAttribute('data-count') === '3');
    await panel.getByLabel('as one set').check();
    await runJob(page, 'attribution', () => panel.getByRole('button', { name: 'Attribute 3 selected' }).click(), 180_000);
    const set = panel.getByTestId('set-attribution');
    await set.waitFor();
    assert.equal(await set.getAttribute('data-size'), '3');
    const [record] = await app.call<AttributionRecord[]>('listAttributions', { caseId });
    assert.equal(record?.mode, 'set');
    const methods = await set.getByTestId('set-method').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-method')));
    assert.deepEqual(methods, record?.set?.deepsets ? ['mean', 'deepsets'] : ['mean']);
    if (!record?.set?.deepsets) await set.getByTestId('deepsets-note').waitFor();
    assert.equal(await set.getByTestId('decision').first().getAttribute('data-kind'), record?.set?.mean.decision.kind);
    // Earlier runs stay readable.
    assert.equal(await panel.getByTestId('attribution-runs').locator('option').count(), 2);
    await screenshot(page, 'attribution-set');
    await set.getByTestId('candidates').first().evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'attribution-set-candidates');
  });

  await t.test('verifies the SD 1.5 images (A) against the SDXL images (B)', async () => {
    await panel.getByRole('tab', { name: 'Verify A – B' }).click();
    const verify = panel.getByTestId('set-verification');
    await verify.getByRole('button', { name: 'Set as A' }).click();
    const sdxl = items.filter((item) => item.folder === 'sdxl');
    await (await cellAt(sdxl[0]!.index)).click();
    for (const item of sdxl.slice(1)) await (await cellAt(item.index)).click({ modifiers: ['ControlOrMeta'] });
    await verify.getByRole('button', { name: 'Set as B' }).click();
    await verify.getByLabel('Name of A').fill('Stable Diffusion 1.5');
    await verify.getByLabel('Name of B').fill('Stable Diffusion XL');
    await verify.getByRole('button', { name: 'Verify A against B' }).click();
    const result = verify.getByTestId('verification-result');
    await result.waitFor();
    assert.match((await result.textContent()) ?? '', /A · Stable Diffusion 1\.5 \(3\) against B · Stable Diffusion XL \(3\)/);
    assert.ok((await result.getByTestId('verification-method').count()) >= 1);
    await screenshot(page, 'attribution-verify');
  });

  await t.test("an item's name in the results opens its detail, which shows its latest decision", async () => {
    await panel.getByRole('tab', { name: 'Candidates' }).click();
    const card = panel.getByTestId('item-attribution').first();
    const itemId = Number(await card.getAttribute('data-item'));
    const kind = await card.getAttribute('data-decision');
    await card.locator('summary button').click();
    const summary = page.getByTestId('item-detail').getByTestId('item-attribution-summary');
    await summary.getByTestId('decision').waitFor();
    assert.equal(await summary.getByTestId('decision').getAttribute('data-kind'), kind);
    const [latest] = await app.call<AttributionRecord[]>('listAttributions', { caseId });
    assert.ok(latest?.items.some((result) => result.itemId === itemId));
    await summary.scrollIntoViewIfNeeded();
    await screenshot(page, 'attribution-item-detail');
    await page.getByRole('button', { name: 'Attribution', exact: true }).click();
  });

  await t.test('the C_T curve of three images says they are too few, and draws nothing', async () => {
    await panel.getByRole('tab', { name: 'CT curve' }).click();
    const view = panel.getByTestId('curve-view');
    const sd15 = items.filter((item) => item.folder === 'sd15');
    await (await cellAt(sd15[0]!.index)).click();
    for (const item of sd15.slice(1)) await (await cellAt(item.index)).click({ modifiers: ['ControlOrMeta'] });
    const job = await runJob(page, 'curve', () => view.getByRole('button', { name: 'Compute curve of 3 selected' }).click(), 120_000);
    assert.equal(await job.getAttribute('data-state'), 'done');
    const curves = await app.call<CaseCurves>('getCurves', { caseId });
    assert.equal(curves.case?.itemCount, 3);
    assert.ok(curves.case.itemCount < curves.case.minimumImages);
    assert.ok(curves.case.values.every((value) => value === null), 'undefined at every layer, never 0');
    await view.getByTestId('curve-note').waitFor();
    assert.match((await view.getByTestId('curve-note').textContent()) ?? '', /Too few images/);
    assert.equal(await view.getByTestId('curve-plot').count(), 0, 'no chart of values nobody measured');
    assert.equal(await view.getByTestId('curve-match').count(), 0, 'an undefined curve matches nothing');
    await view.getByTestId('curve-unmatchable').waitFor();
    await screenshot(page, 'curve-too-small');
    assert.deepEqual(app.pageErrors, []);
  });
});

test('C_T curve of a set large enough: the case against the gallery curves', { skip: !fs.existsSync(path.join(demoDir, 'ct-set')) }, async () => {
  const { page } = app;
  const created = await app.call<CaseSummary>('createCase', { number: '2026-0312', title: 'One source, many images', examiner: 'Dr. A. Examiner' });
  await page.reload();
  await page.getByRole('button', { name: '2026-0312' }).click();
  await importPaths(page, [path.join(demoDir, 'ct-set')]);
  await page.getByTestId('job-progress').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'Attribution', exact: true }).click();
  const panel = page.getByTestId('attribution-panel');
  await panel.getByRole('tab', { name: 'CT curve' }).click();
  const view = panel.getByTestId('curve-view');
  const job = await runJob(page, 'curve', () => view.getByRole('button', { name: /^Compute curve of all/ }).click(), 600_000);
  assert.equal(await job.getAttribute('data-state'), 'done');
  const curves = await app.call<CaseCurves>('getCurves', { caseId: created.id });
  assert.ok(curves.case);
  assert.ok(curves.case.values.some((value) => value !== null), `${curves.case.itemCount} images give a defined curve`);
  const plot = await drawnChart(view, 'curve-plot');
  assertOfflineToolbar(plot);
  const caseTrace = plot.traces.find((trace) => trace.name.startsWith('this case'));
  assert.equal(caseTrace?.points, curves.encoder.layers, 'one point per layer');
  // The case's curve, and the gallery curves of the best matches (five unless asked for all).
  assert.equal(plot.traces.length, 1 + Math.min(5, curves.gallery.length));
  assert.ok(plot.axisTitles.some((title) => title.includes('encoder layer')));
  const matches = view.getByTestId('curve-match');
  assert.equal(await matches.count(), curves.matches.length);
  if (curves.matches.length > 0) assert.equal(await matches.first().getAttribute('data-model'), curves.matches[0]!.model);
  await screenshot(page, 'curve-view');
  assert.deepEqual(app.pageErrors, []);
});
