// A report job that is cancelled or fails: it stops within one part, writes no file, records no
// custody event, and leaves an audit entry saying what was asked; a report re-verifies only the
// items it covers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { makeReport } from '../../src-engine/report/make-report.ts';
import type { RenderPdf } from '../../src-engine/report/pdf/render-pdf.ts';
import { fakeReportPdf } from './helpers/fake-pdf.ts';
import { NO_MODEL } from './helpers/report-inputs.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { createTestCase, importFiles, TEST_ACTOR, type TestCase } from './helpers/test-case.ts';
import type { CleanupScope } from './helpers/temp-dir.ts';


async function fourItems(t: CleanupScope): Promise<TestCase> {
  const tc = createTestCase(t);
  const folder = path.join(generatedFixturesDir, 'dalle2');
  await importFiles(tc.handle, fs.readdirSync(folder).sort().slice(0, 4).map((f) => path.join(folder, f)));
  return tc;
}

/** One page per part, slowly, like a real print of a large report. */
function slowRenderer(calls: { count: number }): RenderPdf {
  return async (document, _chrome, signal) => {
    calls.count++;
    await new Promise((resolve) => setTimeout(resolve, 50));
    signal?.throwIfAborted();
    return fakeReportPdf(document);
  };
}

const actions = (tc: TestCase, table: 'audit_log' | 'custody_events') =>
  (tc.handle.db.prepare(`SELECT action, details FROM ${table} ORDER BY rowid`).all() as Array<{ action: string; details: string }>);

test('cancelling while the report prints stops at once, writes nothing and audits the cancellation', async (t) => {
  const tc = await fourItems(t);
  const controller = new AbortController();
  const calls = { count: 0 };
  const custodyBefore = actions(tc, 'custody_events').length;
  const record = await makeReport(tc.handle, { sections: ['exhibits', 'audit'] }, {
    actor: TEST_ACTOR,
    renderPdf: slowRenderer(calls),
    inputs: NO_MODEL,
    signal: controller.signal,
    onProgress: (stage, done) => {
      if (stage.startsWith('printing the report to find') && done === 0) controller.abort();
    },
  });
  assert.equal(record, null);
  assert.ok(calls.count <= 1, `prints started after the cancel: ${calls.count}`);
  assert.equal((tc.handle.db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n, 0);
  assert.deepEqual(fs.existsSync(path.join(tc.handle.dir, 'reports')) ? fs.readdirSync(path.join(tc.handle.dir, 'reports')) : [], []);
  assert.ok(!actions(tc, 'custody_events').slice(custodyBefore).some((e) => e.action === 'reported'));
  const last = actions(tc, 'audit_log').at(-1)!;
  assert.equal(last.action, 'report.cancelled');
  assert.deepEqual(JSON.parse(last.details).sections, ['exhibits', 'audit']);
});

test('a report that fails to print is audited with its reason and records no custody event', async (t) => {
  const tc = await fourItems(t);
  const failing: RenderPdf = async () => {
    throw new Error('the printer caught fire');
  };
  const custodyBefore = actions(tc, 'custody_events').length;
  await assert.rejects(makeReport(tc.handle, { itemIds: [2] }, { actor: TEST_ACTOR, renderPdf: failing, inputs: NO_MODEL }), /printer caught fire/);
  const failed = actions(tc, 'audit_log').at(-1)!;
  assert.equal(failed.action, 'report.failed');
  assert.deepEqual(JSON.parse(failed.details).items, [2]);
  assert.match(JSON.parse(failed.details).reason, /printer caught fire/);
  // Re-verification touched only the item asked for.
  const events = (tc.handle.db.prepare('SELECT item_id, action FROM custody_events WHERE id > ?').all(custodyBefore) as Array<{ item_id: number; action: string }>);
  assert.deepEqual([...new Set(events.map((e) => e.item_id))], [2]);
  assert.ok(!events.some((e) => e.action === 'reported'));
});
