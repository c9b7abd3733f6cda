// The examiner's notes: on an item (a custody event too) or on the case, each an audit entry; never
// changed or deleted; refused while the case is archived; printed in the report as written (escaped).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import test from 'node:test';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';

test('notes on an item and on the case are recorded, listed, append-only and reported', async (t) => {
  const { engine, call, home } = startEngine(t);
  const { id: caseId } = await call('createCase', { number: 'N-1', title: 'Notes', examiner: TEST_ACTOR });
  const dir = makeTempDir(t, 'notes');
  await writeSample.png(dir, 'a.png', 1);
  await runJob(engine, () => call('startImport', { caseId, paths: [dir] }));

  const onItem = await call('addNote', { caseId, itemId: 1, text: 'Received on a USB stick <b>labelled</b> "AB/1".' });
  const onCase = await call('addNote', { caseId, text: 'Second opinion requested from the imaging unit.' });
  assert.deepEqual([onItem.itemId, onCase.itemId], [1, null]);
  assert.deepEqual((await call('listNotes', { caseId, itemId: 1 })).map((n) => n.id), [onItem.id]);
  assert.deepEqual((await call('listNotes', { caseId })).map((n) => n.id), [onItem.id, onCase.id]);
  await assert.rejects(call('addNote', { caseId, itemId: 99, text: 'nowhere' }), apiError('not_found'));

  const detail = await call('getEvidence', { caseId, itemId: 1 });
  assert.ok(detail.custody.some((c) => c.action === 'note_added' && c.details['noteId'] === onItem.id));
  assert.equal((await call('listAudit', { caseId })).filter((e) => e.action === 'note.added').length, 2);

  const html = await call('previewReport', { caseId, sections: ['exhibits'] });
  assert.match(html, /Examiner's notes on the case<\/h4>.*Second opinion requested/s);
  assert.match(html, /Received on a USB stick &lt;b&gt;labelled&lt;\/b&gt; &quot;AB\/1&quot;\./);

  const caseDir = path.join(home, 'cases', caseId);
  const raw = new Database(path.join(caseDir, 'case.sqlite'));
  t.after(() => raw.close());
  assert.throws(() => raw.prepare('UPDATE notes SET text = ? WHERE id = ?').run('rewritten', onItem.id), /notes cannot be changed/);
  assert.throws(() => raw.prepare('DELETE FROM notes').run(), /notes cannot be deleted/);

  await call('setCaseStatus', { caseId, status: 'archived' });
  await assert.rejects(call('addNote', { caseId, text: 'too late' }), apiError('conflict', /archived/));
  assert.equal((await call('verifyAudit', { caseId })).ok, true);
});
