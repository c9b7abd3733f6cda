// Hash sets in the UI: items listed in the library's sets carry a badge in the grid, the grid's
// hash-set filter narrows to them (or to those in no set), and the item panel names the set,
// its category, which hash it lists and the list file's SHA-256.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CaseSummary, EvidencePage, HashSetImportOutcome } from '../../src-engine/api/contract.ts';
import { fixturesDir, screenshot, startApp, tempDir, type RunningApp } from './support/app.ts';
import { importPaths, jobCount } from './support/ui.ts';

let app: RunningApp;
let listsDir: string;

before(async () => {
  listsDir = tempDir('hash-lists');
  app = await startApp('hash-sets');
});

after(async () => {
  await app?.close();
  fs.rmSync(listsDir, { recursive: true, force: true });
});

test('hash-set matches show as grid badges, in the grid filter and in the item panel', async () => {
  const { page } = app;
  const created = await app.call<CaseSummary>('createCase', { number: '2026-HS', title: 'Hash sets', examiner: 'Dr. A. Examiner' });
  await page.reload();
  await page.getByRole('button', { name: '2026-HS' }).click();
  const source = path.join(fixturesDir, 'dalle2');
  const job = await importPaths(page, [source]);
  const imported = await jobCount(job, 'imported');
  assert.ok(imported >= 2, `the dalle2 fixtures give at least two items, got ${imported}`);

  const items = (await app.call<EvidencePage>('listEvidence', { caseId: created.id })).items;
  const [generatedItem, cameraItem] = items;
  const detailOf = (id: number) => app.call<{ md5: string }>('getEvidence', { caseId: created.id, itemId: id });
  const generatedList = path.join(listsDir, 'generated.txt');
  fs.writeFileSync(generatedList, `# lab list\n${generatedItem!.sha256.toUpperCase()}\n`);
  const cameraList = path.join(listsDir, 'NSRLFile.txt');
  fs.writeFileSync(cameraList, `"SHA-1","MD5","CRC32","FileName"\n"00","${(await detailOf(cameraItem!.id)).md5}","00","x.jpg"\n`);
  await app.call<HashSetImportOutcome>('importHashSet', { name: 'Lab generated', category: 'known-generated', path: generatedList });
  await app.call<HashSetImportOutcome>('importHashSet', { name: 'Camera originals', category: 'known-camera-original', path: cameraList });

  await page.reload();
  await page.getByRole('button', { name: '2026-HS' }).click();
  const badge = page.locator(`[data-testid=evidence-cell][data-name="${generatedItem!.originalName}"] [data-testid=hash-set-badge]`);
  await badge.waitFor();
  assert.equal(await badge.getAttribute('data-category'), 'known-generated');
  assert.equal(await page.getByTestId('hash-set-badge').count(), 2);

  const filter = page.getByRole('combobox', { name: 'Hash-set match' });
  await filter.selectOption('known-camera-original');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 1);
  assert.equal(await page.getByTestId('evidence-cell').getAttribute('data-name'), cameraItem!.originalName);
  await filter.selectOption('none');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=evidence-cell]').length === n, imported - 2);
  await filter.selectOption('any');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 2);

  await page.locator(`[data-testid=evidence-cell][data-name="${generatedItem!.originalName}"]`).click();
  const match = page.getByTestId('item-detail').getByTestId('hash-set-match');
  await match.waitFor();
  const text = (await match.textContent()) ?? '';
  assert.match(text, /known generated\s*Lab generated\s*lists its SHA-256/);
  assert.ok(text.includes(createHash('sha256').update(fs.readFileSync(generatedList)).digest('hex')), 'the list file hash is shown');
  await screenshot(page, 'hash-sets');
  assert.deepEqual(app.pageErrors, []);
});
