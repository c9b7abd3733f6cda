// An examiner reads what the files say about their origin, then makes the report: the provenance
// panel on the LoRA fixtures (web UI `parameters`) and the dalle2 fixtures (WebP named .png), and
// the report screen's preview, generation with progress, and the list of reports with hashes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CaseSummary, ReportRecord } from '../../src-engine/api/contract.ts';
import { fixturesDir, screenshot, startApp, type RunningApp } from './support/app.ts';
import { createCaseThroughForm, importPaths, runJob } from './support/ui.ts';

let app: RunningApp;

before(async () => {
  app = await startApp('report');
});

after(async () => {
  await app?.close();
});

test('provenance panel and report screen', async (t) => {
  const { page } = app;
  const panel = page.getByTestId('item-detail').getByTestId('provenance-panel');

  await t.test('set-up: a case with the LoRA and dalle2 fixtures', async () => {
    await createCaseThroughForm(page, { number: '2026-0142', title: 'Images attached to an insurance claim', examiner: 'Dr. A. Examiner' });
    const job = await importPaths(page, ['animagine-xl-lora', 'realcartoon-xl-lora', 'dalle2'].map((folder) => path.join(fixturesDir, folder)));
    assert.equal(await job.getAttribute('data-state'), 'done');
  });

  await t.test('the LoRA image shows its web UI parameters: prompt, model and LoRA', async () => {
    await page.locator('[data-testid=evidence-cell][data-name="00001-1867360684.png"]').click();
    await runJob(page, 'provenance', () => panel.getByRole('button', { name: 'Analyse provenance' }).click());
    const parameters = panel.getByTestId('png-parameters');
    await parameters.waitFor();
    assert.match((await parameters.textContent()) ?? '', /lora:Elsa- \[Frozen\] - XL Version 1:0\.8/);
    assert.match((await parameters.textContent()) ?? '', /Euler a/);
    assert.match((await panel.getByTestId('claimed-generator').textContent()) ?? '', /animagineXLV3_v30/);
    assert.match((await panel.getByTestId('claimed-loras').textContent()) ?? '', /Elsa- \[Frozen\] - XL Version 1 \(weight 0\.8\)/);
    assert.equal(await panel.getByTestId('c2pa-state').textContent(), 'absent');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'provenance-panel-lora');
  });

  await t.test('a dalle2 image shows the WebP-named-PNG anomaly', async () => {
    await page.locator('[data-testid=evidence-cell][data-name="dalle2-1.png"]').click();
    await page.getByTestId('item-detail').getByText('dalle2-1.png', { exact: true }).first().waitFor();
    await runJob(page, 'provenance', () => panel.getByRole('button', { name: 'Analyse provenance' }).click());
    const mismatch = panel.locator('[data-testid=anomalies] [data-code=extension_mismatch]');
    await mismatch.waitFor();
    assert.match((await mismatch.textContent()) ?? '', /extension '\.png' does not match the content, which is WEBP/);
    await panel.getByTestId('anomalies').scrollIntoViewIfNeeded();
    await screenshot(page, 'provenance-panel-dalle2');
  });

  await t.test('the report screen previews, generates with progress, and lists the report with its hashes', async () => {
    await page.getByRole('tab', { name: 'Report' }).click();
    const view = page.getByTestId('report-view');
    await runJob(page, 'provenance', () => view.getByRole('button', { name: 'Analyse provenance of items not yet analysed' }).click());
    await view.getByRole('button', { name: 'Preview' }).click();
    const preview = page.frameLocator('[data-testid=report-preview]');
    await preview.getByText('Contents', { exact: true }).waitFor();
    await preview.getByText(/Item 1 — 00001-1867360684.png/).first().waitFor();

    await view.getByRole('button', { name: 'Generate PDF report' }).click();
    await view.locator('[data-testid=report-status][data-state=done]').waitFor({ timeout: 180_000 });
    await view.getByTestId('report-record').first().waitFor();
    const [caseSummary] = await app.call<CaseSummary[]>('listCases', {});
    const reports = await app.call<ReportRecord[]>('listReports', { caseId: caseSummary!.id });
    assert.equal(reports.length, 1);
    assert.match((await view.getByTestId('report-record').textContent()) ?? '', new RegExp(reports[0]!.pdf.sha256));
    assert.deepEqual(reports[0]!.integrityProblems, []);
    await view.getByTestId('report-record').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'report-screen');
    // Without an installed fingerprint model the spectrum views' calls answer 404 (shown in their own
    // panels); anything else, such as an uncaught exception, is a failure.
    assert.deepEqual(app.pageErrors.filter((e) => !e.includes('status of 404')), []);
  });

  await t.test('the item picker chooses none, all, or ranges, names numbers the case lacks, and reports only those chosen', async () => {
    const view = page.getByTestId('report-view');
    await view.getByRole('radio', { name: 'Chosen items' }).check();
    const count = view.getByTestId('report-chosen-count');
    assert.match((await count.textContent()) ?? '', /^0 of \d+ items chosen/);
    await view.getByRole('button', { name: 'All', exact: true }).click();
    const total = Number(/of (\d+)/.exec((await count.textContent()) ?? '')![1]);
    assert.match((await count.textContent()) ?? '', new RegExp(`^${total} of ${total}`));
    await view.getByRole('button', { name: 'None', exact: true }).click();
    await view.getByTestId('report-item-range').fill('1-2, 999');
    await view.getByRole('button', { name: 'Choose', exact: true }).click();
    assert.match((await view.getByRole('alert').textContent()) ?? '', /not in this case: 999/);
    assert.match((await count.textContent()) ?? '', /^2 of /);
    await view.getByTestId('report-item-range').fill('2');
    await view.getByRole('button', { name: 'Choose', exact: true }).click();
    assert.equal(await view.getByRole('checkbox', { checked: true, name: /^#2 / }).count(), 1);
    await view.getByRole('button', { name: 'Generate PDF report' }).click();
    const [caseSummary] = await app.call<CaseSummary[]>('listCases', {});
    for (let i = 0; i < 600; i++) {
      const reports = await app.call<ReportRecord[]>('listReports', { caseId: caseSummary!.id });
      if (reports.length === 2) {
        assert.deepEqual(reports[0]!.options.itemIds, [2]);
        break;
      }
      assert.ok(i < 599, 'the second report was not written');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await screenshot(page, 'report-item-picker');
  });
});
