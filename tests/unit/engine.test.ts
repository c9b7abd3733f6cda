import assert from 'node:assert/strict';
import test, { type TestContext } from 'node:test';
import type { ApiMethod } from '../../src-engine/api/contract.ts';
import type { Engine } from '../../src-engine/api/engine-types.ts';
import { PIXEL_LIMIT } from '../../src-engine/base/pixel-limit.ts';
import { writeSample } from './helpers/sample-images.ts';
import { apiError, runJob, startEngine, type Call } from './helpers/test-engine.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const newCase = { number: 'C-2024-001', title: 'Suspected synthetic portrait', examiner: 'A. Examiner' };

async function caseWithItems(t: TestContext, count: number): Promise<{ engine: Engine; call: Call; caseId: string }> {
  const { engine, call } = startEngine(t);
  const { id: caseId } = await call('createCase', newCase);
  const dir = makeTempDir(t, 'modelprint-engine-images');
  for (let i = 0; i < count; i++) await writeSample.png(dir, `item-${String(i).padStart(2, '0')}.png`, i);
  const { job } = await runJob(engine, () => call('startImport', { caseId, paths: [dir] }));
  assert.equal(job.state, 'done');
  return { engine, call, caseId };
}

test('createCase validates its input and refuses a case number that exists', async (t) => {
  const { call } = startEngine(t);
  const created = await call('createCase', { ...newCase, description: '  ' });
  assert.equal(created.number, newCase.number);
  assert.equal(created.description, '');
  assert.equal(created.itemCount, 0);
  assert.deepEqual(await call('getCase', { caseId: created.id }), created);

  await assert.rejects(call('createCase', newCase), apiError('conflict', /C-2024-001/));
  await assert.rejects(call('createCase', { ...newCase, number: `  ${newCase.number} ` }), apiError('conflict'), 'numbers are trimmed first');
  await assert.rejects(call('createCase', { ...newCase, examiner: '   ' }), apiError('invalid_input', /examiner/));
  await assert.rejects(call('createCase', { ...newCase, title: 'x'.repeat(201) }), apiError('invalid_input'));
  assert.deepEqual((await call('listCases', {})).map((c) => c.id), [created.id]);
});

test('unknown cases, items and thumbnails are not_found', async (t) => {
  const { call } = startEngine(t);
  const { id: caseId } = await call('createCase', newCase);
  await assert.rejects(call('getCase', { caseId: UNKNOWN_UUID }), apiError('not_found'));
  await assert.rejects(call('getEvidence', { caseId, itemId: 999 }), apiError('not_found', /999/));
  await assert.rejects(call('getThumbnail', { caseId, sha256: 'f'.repeat(64) }), apiError('not_found'));
  await assert.rejects(call('listEvidence', { caseId: UNKNOWN_UUID }), apiError('not_found'));
});

test('listEvidence pages through the items in id order', async (t) => {
  const { call, caseId } = await caseWithItems(t, 7);
  const first = await call('listEvidence', { caseId, offset: 0, limit: 3 });
  const second = await call('listEvidence', { caseId, offset: 3, limit: 3 });
  const last = await call('listEvidence', { caseId, offset: 6, limit: 3 });
  const beyond = await call('listEvidence', { caseId, offset: 50, limit: 3 });

  assert.deepEqual([first.total, first.items.length, second.items.length, last.items.length, beyond.items.length], [7, 3, 3, 1, 0]);
  const ids = [...first.items, ...second.items, ...last.items].map((i) => i.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  assert.equal(new Set(ids).size, 7);
  assert.equal((await call('listEvidence', { caseId })).items.length, 7, 'offset and limit have defaults');

  const detail = await call('getEvidence', { caseId, itemId: ids[0] });
  assert.equal(detail.custody[0]?.action, 'received');
  const thumbnail = await call('getThumbnail', { caseId, sha256: detail.sha256 });
  assert.equal(Buffer.from(thumbnail.subarray(8, 12)).toString('latin1'), 'WEBP');
});

test('an import job reports progress events and a case-changed event; verify runs as a job too', async (t) => {
  const { engine, call, caseId } = await caseWithItems(t, 2);
  const dir = makeTempDir(t, 'modelprint-engine-more');
  await writeSample.jpeg(dir);
  const imported = await runJob(engine, () => call('startImport', { caseId, paths: [dir] }));
  assert.equal(imported.job.kind, 'import');
  assert.deepEqual(imported.job.kind === 'import' && imported.job.counts, { imported: 1, notAnalysable: 0, duplicates: 0, alreadyInCase: 0, failed: 0 });
  assert.ok(imported.events.some((e) => e.type === 'case-changed' && e.caseId === caseId));

  const verified = await runJob(engine, () => call('startVerify', { caseId }));
  assert.deepEqual(verified.job.kind === 'verify' && verified.job.counts, { verified: 3, mismatched: 0, missing: 0 });
  assert.equal((await call('verifyAudit', { caseId })).ok, true);
  const audit = await call('listAudit', { caseId, limit: 5000 });
  assert.equal(audit.at(-1)?.action, 'integrity.verified');
});

test('uploads must come from the staging folder', async (t) => {
  const { call } = startEngine(t);
  const { id: caseId } = await call('createCase', newCase);
  await assert.rejects(call('startImport', { caseId, paths: ['/etc/passwd'], via: 'upload' }), apiError('invalid_input', /staging/));
});

test('app info tells the browser host apart, and file dialogs are unsupported there', async (t) => {
  const { call } = startEngine(t);
  const info = await call('getAppInfo', {});
  assert.equal(info.host, 'browser');
  assert.equal(info.nativeDialogs, false);
  assert.equal(info.pixelLimit, PIXEL_LIMIT);
  await assert.rejects(call('chooseImportPaths', { mode: 'files' }), apiError('unsupported'));
});

test('dispatch rejects what the contract does not allow, before any handler runs', async (t) => {
  const { call } = startEngine(t);
  const { id: caseId } = await call('createCase', newCase);
  const bad: Array<[string, unknown, RegExp?]> = [
    ['dropAllCases', {}, /unknown method/],
    ['toString', {}, /unknown method/],
    ['__proto__', {}, /unknown method/],
    ['getCase', { caseId: 42 }],
    ['getCase', { caseId: 'not-a-uuid' }],
    ['getCase', { caseId, extra: true }],
    ['getEvidence', { caseId, itemId: '1' }],
    ['getEvidence', { caseId, itemId: 1.5 }],
    ['getEvidence', { caseId, itemId: 0 }],
    ['listEvidence', { caseId, limit: 2001 }],
    ['listEvidence', { caseId, offset: -1 }],
    ['getThumbnail', { caseId, sha256: 'F'.repeat(64) }],
    ['startImport', { caseId, paths: [] }],
    ['startImport', { caseId, paths: ['/tmp/a\0b.png'] }, /NUL/],
    ['startImport', { caseId, paths: '/tmp/a.png' }],
    ['startImport', { caseId, paths: ['/tmp/a.png'], via: 'smuggle' }],
    ['createCase', null],
    ['createCase', 'C-1'],
    ['chooseImportPaths', { mode: 'everything' }],
  ];
  for (const [method, input, message] of bad) {
    await assert.rejects(call(method as ApiMethod, input), apiError('invalid_input', message), `${method} ${JSON.stringify(input)}`);
  }
  assert.equal((await call('listCases', {})).length, 1, 'nothing was created by the rejected calls');
});
