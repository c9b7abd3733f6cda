// Provenance analysis of a case's items as a job: which items it takes, not analysable items
// included, the stored result read back with its contradictions; and the CLI's --items lists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { after } from 'node:test';
import { addCustodyEvent } from '../../src-engine/cases/case-database.ts';
import { parseItemList } from '../../src-engine/cli/item-list.ts';
import { analyseItems, itemProvenance, itemsToAnalyse } from '../../src-engine/provenance/analyse-items.ts';
import { closeMetadataReader } from '../../src-engine/provenance/analyse.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';

after(() => closeMetadataReader());

test('items not yet analysed are taken by default, named items again; not analysable items are analysed too', async (t) => {
  const { handle } = createTestCase(t);
  const dir = makeTempDir(t);
  fs.copyFileSync(path.join(generatedFixturesDir, 'dalle2', fs.readdirSync(path.join(generatedFixturesDir, 'dalle2')).sort()[0]!), path.join(dir, 'a.png'));
  fs.writeFileSync(path.join(dir, 'truncated.png'), fs.readFileSync(path.join(dir, 'a.png')).subarray(0, 200));
  await importFiles(handle, [dir]);
  assert.equal(itemProvenance(handle.db, 1), null);
  const first = await analyseItems(handle, itemsToAnalyse(handle.db, undefined), { actor: TEST_ACTOR });
  assert.deepEqual(first.counts, { analysed: 2, failed: 0 });
  assert.deepEqual(itemsToAnalyse(handle.db, undefined), []);
  assert.deepEqual(itemsToAnalyse(handle.db, [2, 1, 2]).map((i) => i.id), [1, 2]);
  assert.throws(() => itemsToAnalyse(handle.db, [7]), /no evidence item 7/);

  const webp = itemProvenance(handle.db, 1)!;
  assert.ok(webp.report.anomalies.some((a) => a.code === 'extension_mismatch'));
  assert.match(webp.contradictions[0]!.message, /no pixel-level attribution of this item yet/);

  // The comparison follows the item's newest attribution decision.
  addCustodyEvent(handle.db, 1, '2026-01-01T00:00:00.000Z', TEST_ACTOR, 'attributed', { attributionId: 'a1', decision: 'no-known-model', model: null });
  assert.match(itemProvenance(handle.db, 1)!.contradictions[0]!.message, /found no known model/);
  addCustodyEvent(handle.db, 1, '2026-01-02T00:00:00.000Z', TEST_ACTOR, 'attributed', { attributionId: 'a2', decision: 'attributed', model: 'dalle2' });
  assert.deepEqual(itemProvenance(handle.db, 1)!.contradictions, [], 'no claim in the file contradicts the attribution');
  const custody = handle.db.prepare("SELECT count(*) AS n FROM custody_events WHERE action = 'provenance_analysed'").get() as { n: number };
  assert.equal(custody.n, 2);
});

test('--items takes numbers and ranges', () => {
  assert.equal(parseItemList(undefined), undefined);
  assert.deepEqual(parseItemList('1,3-5, 9'), [1, 3, 4, 5, 9]);
  assert.throws(() => parseItemList('2-1'), /not a valid range/);
  assert.throws(() => parseItemList('x'), /not an item number/);
});
