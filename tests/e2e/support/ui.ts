// Steps through the UI that several tests share, written the way an examiner would do them.
import type { Locator, Page } from 'playwright-core';
import type { JobStatus } from '../../../src-engine/api/contract.ts';

export async function createCaseThroughForm(
  page: Page,
  fields: { number: string; title: string; examiner: string; description?: string },
): Promise<void> {
  const form = page.getByRole('form', { name: 'New case' });
  await form.locator('input[name=number]').fill(fields.number);
  await form.locator('input[name=title]').fill(fields.title);
  await form.locator('input[name=examiner]').fill(fields.examiner);
  if (fields.description) await form.locator('textarea[name=description]').fill(fields.description);
  await form.getByRole('button', { name: 'Create case' }).click();
  await page.getByTestId('case-header').getByText(fields.number).waitFor();
}

/** Runs `start` and returns the progress panel of the job it started, once that job has ended. */
export async function runJob(page: Page, kind: JobStatus['kind'], start: () => Promise<void>, timeout = 60_000): Promise<Locator> {
  const before = await page.getByTestId('job-progress').evaluateAll((panels) => panels.map((panel) => panel.getAttribute('data-job-id')));
  await start();
  const handle = await page.waitForFunction(
    ([kind, before]) =>
      [...document.querySelectorAll(`[data-testid=job-progress][data-kind=${kind}]:not([data-state=running])`)].find(
        (panel) => !before.includes(panel.getAttribute('data-job-id')),
      )?.getAttribute('data-job-id'),
    [kind, before] as const,
    { timeout },
  );
  return page.locator(`[data-testid=job-progress][data-job-id="${await handle.jsonValue()}"]`);
}

/** Imports through the dialog's path box; returns the finished job's progress panel. */
export function importPaths(page: Page, paths: string[]): Promise<Locator> {
  return runJob(page, 'import', async () => {
    await page.getByRole('button', { name: 'Import evidence…' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.locator('textarea[name=paths]').fill(paths.join('\n'));
    await dialog.getByRole('button', { name: 'Start import' }).click();
    await dialog.waitFor({ state: 'detached' });
  });
}

export async function jobCount(job: Locator, label: string): Promise<number> {
  const text = await job.locator(`[data-count="${label}"] b`).textContent();
  return Number((text ?? '').replace(/,/g, ''));
}
