// The examiner's first hour with a case: create it, take in evidence (good and broken), look at
// an item's facts and custody, verify integrity, check the audit chain, drop in one more file.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { AuditEntry, CaseSummary, EvidencePage } from '../../src-engine/api/contract.ts';
import { fixturesDir, screenshot, startApp, tempDir, type RunningApp } from './support/app.ts';
import { createCaseThroughForm, importPaths, jobCount, runJob } from './support/ui.ts';

const BROKEN = ['empty.png', 'truncated.png', 'notes.jpg', 'camera.heic'];

/** Files intake must refuse with a reason yet keep on record. */
function writeBrokenFiles(dir: string): void {
  const fixture = fs.readFileSync(path.join(fixturesDir, 'sd15', '000000000632.png'));
  fs.writeFileSync(path.join(dir, 'empty.png'), Buffer.alloc(0));
  fs.writeFileSync(path.join(dir, 'truncated.png'), fixture.subarray(0, 100));
  fs.writeFileSync(path.join(dir, 'notes.jpg'), 'Meeting notes, not a photograph.\n');
  // An ISO-BMFF 'ftyp' box with the 'heic' brand, then a little filler.
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from('ftypheic', 'latin1'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic', 'latin1'),
  ]);
  fs.writeFileSync(path.join(dir, 'camera.heic'), Buffer.concat([ftyp, Buffer.alloc(200, 7)]));
}

let app: RunningApp;
let brokenDir: string;

before(async () => {
  brokenDir = tempDir('broken');
  writeBrokenFiles(brokenDir);
  app = await startApp('workflow');
});

after(async () => {
  await app?.close();
  fs.rmSync(brokenDir, { recursive: true, force: true });
});

test('case workflow: intake, detail, custody, integrity, audit, drop', async (t) => {
  const { page } = app;
  let caseId = '';

  await t.test('the new-case form shows the engine\'s validation messages beside the fields', async () => {
    await page.getByRole('form', { name: 'New case' }).getByRole('button', { name: 'Create case' }).click();
    const messages = await page.getByTestId('field-error').allTextContents();
    assert.deepEqual(messages, ['a case number is required', 'a title is required', 'an examiner is required']);
  });

  await t.test('creates a case through the form and opens it', async () => {
    await createCaseThroughForm(page, {
      number: '2025-0142',
      title: 'Synthetic images attached to an insurance claim',
      examiner: 'Dr. A. Examiner',
      description: 'Exhibits AB/1 to AB/18 received from the claims department on USB media.',
    });
    const cases = await app.call<CaseSummary[]>('listCases', {});
    assert.equal(cases.length, 1);
    caseId = cases[0]!.id;
  });

  await t.test('imports the fixtures and the broken files through the path box', async () => {
    const job = await importPaths(page, [fixturesDir, brokenDir]);
    assert.equal(await job.getAttribute('data-state'), 'done');
    assert.equal(await jobCount(job, 'imported'), 14);
    assert.equal(await jobCount(job, 'not analysable'), BROKEN.length);
    assert.equal(await jobCount(job, 'failed'), 0);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 18);
    const analysable = page.locator('[data-testid=evidence-cell][data-status=analysable]');
    assert.equal(await analysable.count(), 14);
    for (const name of BROKEN) {
      const cell = page.locator(`[data-testid=evidence-cell][data-name="${name}"]`);
      assert.equal(await cell.getAttribute('data-status'), 'not_analysable', name);
    }
    assert.match((await page.locator('[data-testid=evidence-cell][data-name="empty.png"]').textContent()) ?? '', /Empty file/);
    // Every analysable cell gets its thumbnail as a blob: URL.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell] img[src^="blob:"]').length === 14);
    await screenshot(page, 'case-grid');
  });

  await t.test('a DALL-E 2 item shows WebP content behind a .png name, and its custody', async () => {
    await page.getByTestId('job-progress').getByRole('button', { name: 'Dismiss' }).click();
    // A closed summary stays closed when the case screen is re-created (to the gallery and back).
    await page.getByRole('button', { name: 'Gallery' }).click();
    await page.getByRole('button', { name: /2025-0142/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=evidence-cell]').length === 18);
    assert.equal(await page.getByTestId('job-progress').count(), 0);
    await page.locator('[data-testid=evidence-cell][data-name="dalle2-1.png"]').click();
    const detail = page.getByTestId('item-detail');
    await detail.getByTestId('custody-timeline').waitFor();
    assert.match((await detail.getByTestId('sniffed-format').textContent()) ?? '', /WebP/);
    assert.match(
      (await detail.getByTestId('extension-mismatch').textContent()) ?? '',
      /extension says \.png, content is\s+WebP/,
    );
    assert.match((await detail.getByTestId('hash-sha256').textContent()) ?? '', /^[0-9a-f]{64}$/);
    assert.match((await detail.getByTestId('hash-md5').textContent()) ?? '', /^[0-9a-f]{32}$/);
    assert.match((await detail.textContent()) ?? '', /1024 × 1024 px/);
    assert.match((await detail.textContent()) ?? '', /dalle2[/\\]dalle2-1\.png/);
    const events = detail.getByTestId('custody-event');
    assert.ok((await events.count()) >= 1, 'at least the intake is in the custody timeline');
    assert.match((await events.first().textContent()) ?? '', /\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    assert.match((await events.first().textContent()) ?? '', /examiner\.e2e/);
    // The source file's own times are on the timeline, before its receipt.
    const modified = detail.locator('[data-testid=source-time][data-kind=modifiedUtc]');
    assert.match((await modified.textContent()) ?? '', /source file last modified/);
    await detail.locator('img[src^="blob:"]').waitFor();
    await screenshot(page, 'item-detail');
  });

  await t.test('a broken item says why it cannot be analysed', async () => {
    await page.locator('[data-testid=evidence-cell][data-name="truncated.png"]').click();
    const refusal = page.getByTestId('item-detail').getByTestId('not-analysable');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /corrupt/);
    await page.locator('[data-testid=evidence-cell][data-name="notes.jpg"]').click();
    await page.getByTestId('item-detail').getByText('notes.jpg', { exact: true }).first().waitFor();
    await page.getByTestId('item-detail').getByTestId('not-analysable').waitFor();
    assert.match((await page.getByTestId('item-detail').getByTestId('extension-mismatch').textContent()) ?? '', /extension says \.jpg/);
    await screenshot(page, 'item-detail-not-analysable');
    await page.getByRole('button', { name: 'Close detail' }).click();
  });

  await t.test('hash verification passes, then finds a tampered and a missing original', async () => {
    await page.getByRole('tab', { name: /Integrity/ }).click();
    const verifyButton = page.getByRole('button', { name: 'Verify hashes' });
    const clean = await runJob(page, 'verify', () => verifyButton.click());
    assert.equal(await jobCount(clean, 'verified'), 18);
    await page.getByTestId('no-findings').waitFor();

    const items = await app.call<EvidencePage>('listEvidence', { caseId, offset: 0, limit: 100 });
    const tampered = items.items.find((item) => item.originalName === '00364-1446733594.png');
    const removed = items.items.find((item) => item.originalName === 'dalle2-2.png');
    assert.ok(tampered && removed);
    const stored = (sha: string) => path.join(app.home, 'cases', caseId, 'evidence', sha.slice(0, 2), sha);
    fs.chmodSync(stored(tampered.sha256), 0o644);
    fs.appendFileSync(stored(tampered.sha256), 'x');
    fs.rmSync(stored(removed.sha256));

    const troubled = await runJob(page, 'verify', () => verifyButton.click());
    assert.equal(await jobCount(troubled, 'mismatched'), 1);
    assert.equal(await jobCount(troubled, 'missing'), 1);
    await page.locator('[data-testid=finding][data-kind=hash_mismatch]').waitFor();
    await page.locator('[data-testid=finding][data-kind=missing_file]').waitFor();
    await page.getByTestId('findings-banner').waitFor();
    await screenshot(page, 'integrity');

    // Findings persist: they are still there after a reload of the page.
    await page.reload();
    await page.getByRole('button', { name: /2025-0142/ }).first().click();
    await page.getByTestId('findings-banner').waitFor();
    await page.getByRole('tab', { name: /Integrity/ }).click();
    await page.getByTestId('finding').nth(1).waitFor();
    assert.equal(await page.getByTestId('finding').count(), 2);
    await page.getByRole('tab', { name: /Evidence/ }).click();
    await page.locator('[data-testid=evidence-cell][data-name="00364-1446733594.png"] [data-testid=finding-marker]').waitFor();
  });

  await t.test('the evidence list is exported from the case header, and the export is audited with its hash', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('case-header').getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), '2025-0142-evidence.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    assert.equal(csv.trimEnd().split('\r\n').length, 1 + 18, 'a header and one line per item');
    const exported = (await app.call<AuditEntry[]>('listAudit', { caseId, limit: 5000 })).filter((e) => e.action === 'case.exported');
    assert.equal(exported.at(-1)?.details['sha256'], createHash('sha256').update(csv).digest('hex'));
  });

  await t.test('the audit log lists the actions and its hash chain verifies', async () => {
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByTestId('audit-row').first().waitFor();
    assert.ok((await page.getByTestId('audit-row').count()) >= 3);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.getByTestId('audit-verification');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-ok'), 'true');
    assert.match((await verdict.textContent()) ?? '', /Chain intact[\s\S]*[0-9a-f]{64}/);
    assert.match((await page.getByTestId('audit-records').textContent()) ?? '', /\d+ records match the chain\./);
    await screenshot(page, 'audit-log');

    // A custody event edited behind the application's back is named, and intact again once restored.
    const caseDb = new Database(path.join(app.home, 'cases', caseId, 'case.sqlite'));
    const event = caseDb.prepare("SELECT id, actor FROM custody_events WHERE action = 'received' ORDER BY id LIMIT 1").get() as { id: number; actor: string };
    caseDb.exec('DROP TRIGGER custody_no_change');
    caseDb.prepare('UPDATE custody_events SET actor = ? WHERE id = ?').run('someone else', event.id);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.locator('[data-testid=audit-verification][data-ok=false]').waitFor();
    assert.match((await verdict.textContent()) ?? '', new RegExp(`record_changed entry #\\d+: custody event ${event.id} no longer matches the digest recorded`));
    await screenshot(page, 'audit-log-record-changed');
    caseDb.prepare('UPDATE custody_events SET actor = ? WHERE id = ?').run(event.actor, event.id);
    caseDb.exec("CREATE TRIGGER custody_no_change BEFORE UPDATE ON custody_events BEGIN SELECT RAISE(ABORT, 'custody events cannot be changed'); END");
    caseDb.close();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.locator('[data-testid=audit-verification][data-ok=true]').waitFor();
  });

  await t.test('a file dropped on the grid is uploaded and imported', async () => {
    await page.getByRole('tab', { name: /Evidence/ }).click();
    const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toBuffer();
    const job = await runJob(page, 'import', () =>
      page.evaluate((base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], 'dropped-exhibit.png', { type: 'image/png' }));
        const target = document.querySelector('[data-testid=evidence-grid]');
        if (!target) throw new Error('no grid to drop on');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        }
      }, png.toString('base64')),
    );
    assert.equal(await jobCount(job, 'imported'), 1);
    const cell = page.locator('[data-testid=evidence-cell][data-name*="dropped-exhibit.png"]');
    await cell.waitFor({ state: 'attached' });
    await cell.click();
    await page.getByTestId('item-detail').getByText(/browser upload: /).first().waitFor();
  });

  await t.test('the case is edited, closed, archived (read-only, said so) and unarchived from its header', async () => {
    const header = page.getByTestId('case-header');
    await header.getByRole('button', { name: 'Edit…' }).click();
    await header.locator('input[name=title]').fill('Synthetic images attached to an insurance claim (corrected)');
    await header.getByRole('button', { name: 'Save' }).click();
    await header.getByRole('heading', { name: 'Synthetic images attached to an insurance claim (corrected)' }).waitFor();
    await header.getByRole('button', { name: 'Close case' }).click();
    await page.locator('[data-testid=case-header][data-status=closed]').waitFor();
    await header.getByRole('button', { name: 'Archive' }).click();
    await header.getByTestId('archived-note').waitFor();
    assert.equal(await header.getByRole('button', { name: 'Edit…' }).count(), 0, 'an archived case cannot be edited');
    assert.equal(await page.getByRole('button', { name: 'Import evidence…' }).isDisabled(), true, 'nor take evidence');
    await screenshot(page, 'case-archived');
    await header.getByRole('button', { name: 'Unarchive' }).click();
    await header.getByRole('button', { name: 'Reopen' }).click();
    await page.locator('[data-testid=case-header][data-status=open]').waitFor();
  });

  await t.test("an examiner's note on an item is kept with its time and shows in the item's custody", async () => {
    await page.locator('[data-testid=evidence-cell][data-name="dalle2-1.png"]').click();
    const notes = page.getByTestId('item-detail').getByTestId('item-notes');
    await notes.getByRole('textbox', { name: 'New note' }).fill('Compared by eye with the claimant\'s originals: not among them.');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.getByTestId('item-note').filter({ hasText: "not among them" }).waitFor();
    await page.getByTestId('item-detail').locator('[data-testid=custody-event][data-action=note_added]').waitFor();
    await notes.scrollIntoViewIfNeeded();
    await screenshot(page, 'item-notes');
  });

  await t.test('the case list shows the case with its items and open findings', async () => {
    await app.call('createCase', { number: '2025-0139', title: 'Profile photos of a suspected bot network', examiner: 'Dr. A. Examiner' });
    await app.call('createCase', { number: '2025-0117', title: 'Deepfake invoice scans', examiner: 'M. Okafor', description: '' });
    await page.getByRole('button', { name: 'Cases' }).click();
    await page.getByTestId('case-row').nth(2).waitFor();
    const row = page.getByTestId('case-row').filter({ hasText: '2025-0142' });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[4], '19');
    assert.equal(cells[5]?.trim(), '2');
    assert.match(cells[6] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    await screenshot(page, 'case-list');
  });

  await t.test('the page reported no errors of its own', () => {
    assert.deepEqual(app.pageErrors.filter((message) => !/status of 400/.test(message)), []);
  });
});
