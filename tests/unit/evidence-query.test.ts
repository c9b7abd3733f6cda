// The evidence grid's search, filters and sort, applied by the engine: offsets and totals count
// within what the query leaves; LIKE wildcards typed by the examiner match only themselves.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { addCustodyEvent } from '../../src-engine/cases/case-database.ts';
import { Library } from '../../src-engine/cases/library.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { runJob, startEngine } from './helpers/test-engine.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';

test('listEvidence searches names, paths and hash prefixes, filters by format, status and decision, and sorts', async (t) => {
  const { engine, call, home } = startEngine(t);
  const created = await call('createCase', { number: 'Q-1', title: 'Query', examiner: TEST_ACTOR });
  const caseId = created.id;
  const dir = makeTempDir(t, 'evidence-query');
  fs.mkdirSync(path.join(dir, 'phone'));
  await writeSample.png(dir, 'alpha_1.png', 1);
  await writeSample.jpeg(path.join(dir, 'phone'), 'beta%.jpg');
  await writeSample.webp(dir, 'gamma.webp');
  await writeSample.text(dir, 'notes.jpg');
  await runJob(engine, () => call('startImport', { caseId, paths: [dir] }));
  const list = async (query: Record<string, unknown>) => call('listEvidence', { caseId, query });
  const names = async (query: Record<string, unknown>) => (await list(query)).items.map((i) => i.originalName);

  assert.equal((await list({})).total, 4);
  assert.deepEqual(await names({ search: 'phone' }), ['beta%.jpg'], 'the source folder is searched');
  assert.deepEqual(await names({ search: '%' }), ['beta%.jpg'], 'a typed % is a percent sign, not a wildcard');
  assert.deepEqual(await names({ search: '_1' }), ['alpha_1.png']);
  const gamma = (await list({ search: 'gamma' })).items[0]!;
  assert.deepEqual(await names({ search: gamma.sha256.slice(0, 10).toUpperCase() }), ['gamma.webp'], 'hash prefixes, any case');
  assert.deepEqual(await names({ format: 'jpeg' }), ['beta%.jpg']);
  assert.deepEqual(await names({ status: 'not_analysable' }), ['notes.jpg']);
  assert.deepEqual(await names({ sort: 'name' }), ['alpha_1.png', 'beta%.jpg', 'gamma.webp', 'notes.jpg']);
  assert.deepEqual(await names({ sort: 'name', descending: true }), ['notes.jpg', 'gamma.webp', 'beta%.jpg', 'alpha_1.png']);
  const page = await call('listEvidence', { caseId, offset: 1, limit: 1, query: { sort: 'name' } });
  assert.deepEqual([page.total, page.items.map((i) => i.originalName)], [4, ['beta%.jpg']]);
  assert.equal((await list({ search: 'phone' })).items[0]!.sourceFolder, path.join(dir, 'phone'));

  // The latest attribution decision of each item, from its custody.
  const library = new Library(home);
  t.after(() => library.close());
  const { db } = library.openCase(caseId);
  const id = (name: string) => (db.prepare('SELECT id FROM evidence_items WHERE original_name = ?').get(name) as { id: number }).id;
  addCustodyEvent(db, id('alpha_1.png'), '2026-01-01T00:00:00.000Z', TEST_ACTOR, 'attributed', { decision: 'inconclusive', model: null });
  addCustodyEvent(db, id('alpha_1.png'), '2026-01-02T00:00:00.000Z', TEST_ACTOR, 'attributed', { decision: 'attributed', model: 'sdxl' });
  addCustodyEvent(db, id('gamma.webp'), '2026-01-02T00:00:00.000Z', TEST_ACTOR, 'attributed', { decision: 'tied', model: null });
  assert.deepEqual(await names({ decision: 'attributed' }), ['alpha_1.png'], 'the newest decision counts');
  assert.deepEqual(await names({ decision: 'inconclusive' }), []);
  assert.deepEqual(await names({ decision: 'none', sort: 'name' }), ['beta%.jpg', 'notes.jpg']);
  assert.deepEqual((await list({ decision: 'attributed' })).items[0]!.decision, { kind: 'attributed', model: 'sdxl' });
  // Attributed before tied (by the decision's name), never-attributed last, ties in item order.
  const unattributed = (await names({})).filter((n) => n === 'beta%.jpg' || n === 'notes.jpg');
  assert.deepEqual(await names({ sort: 'decision' }), ['alpha_1.png', 'gamma.webp', ...unattributed]);
});
