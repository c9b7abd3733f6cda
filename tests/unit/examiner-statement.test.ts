// The examiner's conclusions, declaration, signature block and peer review: validated, each change
// one audit entry with the old and new values, a changed declaration unconfirmed until confirmed
// again, printed in the report (or said to be missing) and in the bundle, refused while archived.
import assert from 'node:assert/strict';
import test from 'node:test';
import { DEFAULT_DECLARATION } from '../../src-engine/cases/examiner-statement.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';

test('the statement starts empty with the default declaration, unconfirmed, and a report says so', async (t) => {
  const { call } = startEngine(t);
  const { id: caseId } = await call('createCase', { number: 'S-1', title: 'Statement', examiner: TEST_ACTOR });
  const statement = await call('getStatement', { caseId });
  assert.deepEqual(statement, {
    conclusions: '',
    declaration: { text: DEFAULT_DECLARATION, isDefault: true, confirmedUtc: null },
    signature: { name: '', role: '', organisation: '', date: '' },
    review: { reviewer: '', date: '', outcome: null, comments: '' },
    modifiedUtc: null,
  });
});

test('changes are validated and audited, the same values add nothing, and a new wording takes the confirmation back', async (t) => {
  const { call } = startEngine(t);
  const { id: caseId } = await call('createCase', { number: 'S-2', title: 'Statement', examiner: TEST_ACTOR });

  await call('updateStatement', { caseId, conclusions: 'Items 1 and 2 <were> made by one model.\nNo other finding.', declarationConfirmed: true });
  let s = await call('updateStatement', { caseId, signature: { name: ' J. Doe ', date: '2026-12-02' }, review: { reviewer: 'A. Peer', outcome: 'agreed-with-comments', comments: 'Re-run item 2.' } });
  assert.equal(s.signature.name, 'J. Doe');
  assert.ok(s.declaration.confirmedUtc !== null && s.declaration.isDefault);
  s = await call('updateStatement', { caseId, declaration: 'I declare this report true.' });
  assert.deepEqual([s.declaration.isDefault, s.declaration.confirmedUtc], [false, null], 'a changed wording must be confirmed again');
  // The same values again change nothing and add no audit entry.
  const entries = (await call('listAudit', { caseId })).length;
  await call('updateStatement', { caseId, declaration: 'I declare this report true.', signature: { name: 'J. Doe' } });
  assert.equal((await call('listAudit', { caseId })).length, entries);

  for (const bad of [
    { signature: { date: '2026-02-30' } },
    { signature: { date: '02/12/2026' } },
    { signature: { name: 'two\nlines' } },
    { review: { outcome: 'maybe' } },
    { conclusions: 'bell\u0007' },
    { declaration: '   ' },
  ]) {
    await assert.rejects(call('updateStatement', { caseId, ...bad }), apiError('invalid_input'), JSON.stringify(bad));
  }

  const audit = (await call('listAudit', { caseId })).filter((e) => e.action === 'statement.updated');
  assert.equal(audit.length, 3);
  assert.deepEqual(audit[1]!.details['review.outcome'], { from: null, to: 'agreed-with-comments' });
  assert.deepEqual(Object.keys(audit[2]!.details).sort(), ['declaration', 'declarationConfirmedUtc']);
});

test('a report prints the conclusions, the confirmed declaration with its signature block and the review; or says they are missing', async (t) => {
  const { call, engine } = startEngine(t);
  const { id: caseId } = await call('createCase', { number: 'S-3', title: 'Statement', examiner: TEST_ACTOR });
  const dir = makeTempDir(t, 'statement');
  await writeSample.png(dir, 'a.png', 1);
  await runJob(engine, () => call('startImport', { caseId, paths: [dir] }));

  let html = await call('previewReport', { caseId, sections: ['exhibits'] });
  assert.match(html, /Conclusions, declaration and peer review/);
  assert.match(html, /The examiner has written no conclusions for this report/);
  assert.match(html, /The examiner has not confirmed a declaration for this report/);
  assert.match(html, /No peer review of this report is recorded/);

  await call('updateStatement', {
    caseId,
    conclusions: 'Made by <b>one</b> model.',
    declarationConfirmed: true,
    signature: { name: 'J. Doe', role: 'Examiner', organisation: 'Lab', date: '2026-12-02' },
    review: { reviewer: 'A. Peer', date: '2026-12-03', outcome: 'disagreed', comments: 'Item 1 is a photograph.' },
  });
  html = await call('previewReport', { caseId, sections: ['exhibits'] });
  assert.match(html, /Made by &lt;b&gt;one&lt;\/b&gt; model\./);
  assert.match(html, /I declare that the facts stated in this report/);
  assert.match(html, /class="signature-block"[\s\S]*J\. Doe[\s\S]*Lab[\s\S]*2026-12-02/);
  assert.match(html, /disagreed \(see the comments below\)[\s\S]*Item 1 is a photograph\./);
  assert.doesNotMatch(html, /no conclusions for this report/);

  await call('setCaseStatus', { caseId, status: 'archived' });
  await assert.rejects(call('updateStatement', { caseId, conclusions: 'late' }), apiError('conflict', /archived/));
});
