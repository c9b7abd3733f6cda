// Case life cycle: corrections audited with the old values; a closed case takes no new evidence;
// an archived case is read-only, refused by the database itself whatever writes; unarchiving
// restores it. Through the engine's handlers as the app and the CLI call them.
import assert from 'node:assert/strict';
import test from 'node:test';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';

test('a case is edited, closed, archived (read-only), unarchived and reopened, each step audited', async (t) => {
  const { engine, call } = startEngine(t);
  const created = await call('createCase', { number: 'L-1', title: 'Life', examiner: TEST_ACTOR });
  const caseId = created.id;
  const dir = makeTempDir(t, 'lifecycle');
  await writeSample.png(dir, 'a.png', 1);

  const edited = await call('updateCase', { caseId, title: 'Life cycle', description: 'corrected' });
  assert.deepEqual([edited.title, edited.description, edited.examiner], ['Life cycle', 'corrected', TEST_ACTOR]);
  const audit = async () => (await call('listAudit', { caseId })).map((e) => e.action);
  const updated = (await call('listAudit', { caseId })).find((e) => e.action === 'case.updated')!;
  assert.deepEqual(updated.details['title'], { from: 'Life', to: 'Life cycle' });

  assert.equal((await call('setCaseStatus', { caseId, status: 'closed' })).status, 'closed');
  await assert.rejects(call('startImport', { caseId, paths: [dir] }), apiError('conflict', /L-1 is closed: it takes no new evidence/));

  assert.equal((await call('setCaseStatus', { caseId, status: 'archived' })).status, 'archived');
  await assert.rejects(call('updateCase', { caseId, title: 'changed while archived' }), apiError('conflict', /archived: it is read-only/));
  await assert.rejects(call('startVerify', { caseId }), apiError('conflict', /archived/), 'even a verification writes, so it is refused');
  assert.equal((await call('getCase', { caseId })).title, 'Life cycle');

  assert.equal((await call('setCaseStatus', { caseId, status: 'open' })).status, 'open');
  const imported = (await runJob(engine, () => call('startImport', { caseId, paths: [dir] }))).job;
  assert.equal(imported.state, 'done');
  const actions = await audit();
  for (const action of ['case.updated', 'case.closed', 'case.archived', 'case.unarchived']) assert.ok(actions.includes(action), action);
  assert.equal((await call('verifyAudit', { caseId })).ok, true, 'the chain holds across the life cycle');
});
