// Tags and bookmarks on items: validated, added and taken back, each change in the item's custody
// and one audit entry; the grid's query filters by them; a report without a choice of items covers
// the bookmarked ones; refused while the case is archived, by the engine and by the database.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import test from 'node:test';
import { validateBundle } from '../../src-engine/report/bundle-validation.ts';
import { buildCaseUcoBundle } from '../../src-engine/report/case-uco-bundle.ts';
import { gatherReportData } from '../../src-engine/report/gather-report-data.ts';
import { resolveChoices } from '../../src-engine/report/make-report.ts';
import { NO_MODEL } from './helpers/report-inputs.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';

async function caseWithItems(t: test.TestContext, count: number) {
  const started = startEngine(t);
  const { id: caseId } = await started.call('createCase', { number: 'M-1', title: 'Markings', examiner: TEST_ACTOR });
  const dir = makeTempDir(t, 'markings');
  for (let n = 1; n <= count; n++) await writeSample.png(dir, `item-${n}.png`, n);
  await runJob(started.engine, () => started.call('startImport', { caseId, paths: [dir] }));
  return { ...started, caseId };
}

test('tags are trimmed, validated, added once whatever their case, removed, listed with counts and filtered by', async (t) => {
  const { call, caseId } = await caseWithItems(t, 4);
  assert.deepEqual(await call('tagItems', { caseId, itemIds: [1, 2, 3], tag: '  suspicious ' }), { changed: [1, 2, 3], unchanged: [] });
  assert.deepEqual(await call('tagItems', { caseId, itemIds: [2, 4], tag: 'Suspicious' }), { changed: [4], unchanged: [2] });
  await call('tagItems', { caseId, itemIds: [1], tag: 'same scene' });
  assert.deepEqual(await call('listTags', { caseId }), [
    { tag: 'same scene', items: 1 },
    { tag: 'suspicious', items: 4 },
  ]);
  assert.deepEqual(await call('tagItems', { caseId, itemIds: [3, 3], tag: 'SUSPICIOUS', remove: true }), { changed: [3], unchanged: [] });

  for (const tag of ['', '   ', 'a'.repeat(65), 'bell\u0007', 'two\nlines', 'rtl\u202eoverride']) {
    await assert.rejects(call('tagItems', { caseId, itemIds: [1], tag }), apiError('invalid_input'), JSON.stringify(tag));
  }
  await assert.rejects(call('tagItems', { caseId, itemIds: [1, 99], tag: 'x' }), apiError('not_found', /99/));
  assert.deepEqual((await call('getEvidence', { caseId, itemId: 1 })).tags, ['same scene', 'suspicious'], 'a refused request changes nothing');

  const page = await call('listEvidence', { caseId, query: { tag: 'SUSPICIOUS' } });
  assert.deepEqual([page.total, page.items.map((i) => i.id)], [3, [1, 2, 4]]);
  assert.deepEqual(await call('listItemIds', { caseId, query: { tag: 'same scene' } }), [1]);

  const detail = await call('getEvidence', { caseId, itemId: 3 });
  assert.deepEqual(
    detail.custody.filter((c) => c.action.startsWith('tag_')).map((c) => [c.action, c.details['tag']]),
    [
      ['tag_added', 'suspicious'],
      ['tag_removed', 'SUSPICIOUS'],
    ],
  );
  const audit = (await call('listAudit', { caseId })).filter((e) => e.action.startsWith('tag.'));
  assert.deepEqual(
    audit.map((e) => [e.action, e.details['itemIds']]),
    [
      ['tag.added', [1, 2, 3]],
      ['tag.added', [4]],
      ['tag.added', [1]],
      ['tag.removed', [3]],
    ],
  );
});

test('bookmarks with comments: set, re-commented, removed, filtered, and what a report covers by default', async (t) => {
  const { call, caseId, home } = await caseWithItems(t, 4);
  // A second connection, read-only in use: what the report code reads from the case database.
  const handle = { db: new Database(path.join(home, 'cases', caseId, 'case.sqlite')) };
  t.after(() => handle.db.close());
  assert.deepEqual(resolveChoices(handle.db, {}).itemIds, [1, 2, 3, 4], 'no bookmarks: every item');

  assert.deepEqual(await call('bookmarkItems', { caseId, itemIds: [3, 1], comment: 'Same kitchen' }), { changed: [3, 1], unchanged: [] });
  assert.deepEqual(await call('bookmarkItems', { caseId, itemIds: [1], comment: 'Same kitchen' }), { changed: [], unchanged: [1] });
  await call('bookmarkItems', { caseId, itemIds: [1], comment: 'Same kitchen, same window' });
  assert.deepEqual(
    (await call('listBookmarks', { caseId })).map((b) => [b.itemId, b.comment]),
    [
      [1, 'Same kitchen, same window'],
      [3, 'Same kitchen'],
    ],
  );
  assert.equal((await call('getEvidence', { caseId, itemId: 3 })).bookmark?.comment, 'Same kitchen');
  assert.deepEqual((await call('listEvidence', { caseId, query: { bookmarked: false } })).items.map((i) => i.id), [2, 4]);
  await assert.rejects(call('bookmarkItems', { caseId, itemIds: [2], comment: 'nul\u0000' }), apiError('invalid_input'));

  assert.deepEqual(resolveChoices(handle.db, {}).itemIds, [1, 3], 'bookmarks feed the report');
  assert.deepEqual(resolveChoices(handle.db, { allItems: true }).itemIds, [1, 2, 3, 4]);
  assert.deepEqual(resolveChoices(handle.db, { itemIds: [2] }).itemIds, [2]);
  await assert.rejects(call('previewReport', { caseId, itemIds: [2], allItems: true }), apiError('invalid_input'));

  const data = await gatherReportData(handle.db, resolveChoices(handle.db, {}), { reportId: 'r1', generatedUtc: '2026-01-01T00:00:00.000Z', actor: 'x' }, { ...NO_MODEL, verification: null });
  assert.deepEqual(validateBundle(buildCaseUcoBundle(data)), { ok: true, errors: [] });
  const html = await call('previewReport', { caseId, sections: ['exhibits'] });
  assert.match(html, /\(all bookmarked by the examiner\)/);
  assert.match(html, /Same kitchen, same window/);

  await call('bookmarkItems', { caseId, itemIds: [1, 2], remove: true });
  const custody = (await call('getEvidence', { caseId, itemId: 1 })).custody.filter((c) => c.action.startsWith('bookmark'));
  assert.deepEqual(
    custody.map((c) => c.action),
    ['bookmarked', 'bookmarked', 'bookmark_removed'],
  );
  assert.deepEqual(
    (await call('listAudit', { caseId })).filter((e) => e.action.startsWith('bookmark.')).map((e) => [e.action, e.details['itemIds']]),
    [
      ['bookmark.added', [3, 1]],
      ['bookmark.added', [1]],
      ['bookmark.removed', [1]],
    ],
  );
});

test('an archived case refuses tags and bookmarks, and its database refuses them too', async (t) => {
  const { call, caseId, home } = await caseWithItems(t, 1);
  await call('tagItems', { caseId, itemIds: [1], tag: 'kept' });
  await call('bookmarkItems', { caseId, itemIds: [1] });
  await call('updateStatement', { caseId, conclusions: 'Nothing more to add.' });
  await call('setCaseStatus', { caseId, status: 'archived' });
  await assert.rejects(call('tagItems', { caseId, itemIds: [1], tag: 'late' }), apiError('conflict', /archived/));
  await assert.rejects(call('bookmarkItems', { caseId, itemIds: [1], remove: true }), apiError('conflict', /archived/));
  const raw = new Database(path.join(home, 'cases', caseId, 'case.sqlite'));
  t.after(() => raw.close());
  for (const sql of ["DELETE FROM item_tags", "INSERT INTO item_tags VALUES (1, 'x', '', '')", "UPDATE bookmarks SET comment = 'x'", 'DELETE FROM bookmarks', "UPDATE examiner_statement SET conclusions = 'x'", 'DELETE FROM examiner_statement', 'INSERT OR REPLACE INTO examiner_statement (id) VALUES (1)']) {
    assert.throws(() => raw.prepare(sql).run(), /archived/, sql);
  }
  assert.equal((await call('verifyAudit', { caseId })).ok, true);
});
