import assert from 'node:assert/strict';
import test, { type TestContext } from 'node:test';
import type { AuditVerification } from '../../src-engine/api/contract.ts';
import { appendAudit, listAudit, verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import type { ChainRow } from '../../src-engine/db/hash-chain.ts';
import { forgeEntryHash, openAsTamperer } from './helpers/tamper.ts';
import { createTestCase, TEST_ACTOR, type TestCase } from './helpers/test-case.ts';

const ENTRIES = 6;

/** A case whose log holds ENTRIES entries: 'case.created' and five more. */
function caseWithLog(t: TestContext): TestCase {
  const tc = createTestCase(t);
  for (let i = 2; i <= ENTRIES; i++) {
    tc.handle.db.transaction(() => appendAudit(tc.handle.db, TEST_ACTOR, 'test.step', { step: i }))();
  }
  return tc;
}

type RawEntry = ChainRow;

function problemsOf(result: AuditVerification): string[] {
  return result.problems.map((p) => `${p.seq}:${p.problem}`);
}

test('an untouched chain verifies, with the head the case records', (t) => {
  const { handle } = caseWithLog(t);
  const result = verifyAuditChain(handle.db);
  const entries = listAudit(handle.db, 0, 100);
  assert.equal(result.ok, true);
  assert.equal(result.entries, ENTRIES);
  assert.deepEqual(result.problems, []);
  assert.equal(result.headHash, entries.at(-1)?.entryHash);
  assert.equal(entries[0]?.action, 'case.created');
  entries.forEach((entry, i) => {
    assert.equal(entry.seq, i + 1);
    if (i > 0) assert.equal(entry.prevHash, entries[i - 1]?.entryHash);
  });
});

test("the application's own connection cannot update or delete log entries", (t) => {
  const { handle } = caseWithLog(t);
  assert.throws(() => handle.db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 2").run(), /append-only/);
  assert.throws(() => handle.db.prepare('DELETE FROM audit_log WHERE seq = 2').run(), /append-only/);
  assert.equal(verifyAuditChain(handle.db).ok, true);
});

test('an edited entry is reported as altered', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  db.prepare(`UPDATE audit_log SET details = '{"step":99}' WHERE seq = 3`).run();
  db.close();
  const result = verifyAuditChain(handle.db);
  assert.equal(result.ok, false);
  assert.deepEqual(problemsOf(result), ['3:altered']);
});

test('an edited entry whose hash was recomputed breaks the link to the next entry', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as RawEntry;
  const edited = { ...row, actor: 'someone-else' };
  db.prepare('UPDATE audit_log SET actor = ?, entry_hash = ? WHERE seq = 3').run(edited.actor, forgeEntryHash(edited));
  db.close();
  assert.deepEqual(problemsOf(verifyAuditChain(handle.db)), ['4:broken_link']);
});

test('a removed entry shows as a gap and a broken link', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
  db.close();
  const result = verifyAuditChain(handle.db);
  assert.equal(result.ok, false);
  assert.deepEqual(problemsOf(result), ['4:sequence_gap', '4:broken_link']);
});

test('an entry inserted in the middle, even correctly hashed, breaks the chain after it', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  const before = db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as RawEntry;
  // Make room at seq 3 by shifting the later entries up (highest first: seq is the primary key).
  for (let seq = ENTRIES; seq >= 3; seq--) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(seq + 1, seq);
  const forged = { seq: 3, at_utc: before.at_utc, actor: TEST_ACTOR, action: 'test.forged', details: '{}', prev_hash: before.entry_hash };
  db.prepare('INSERT INTO audit_log (seq, at_utc, actor, action, details, prev_hash, entry_hash) VALUES (@seq, @at_utc, @actor, @action, @details, @prev_hash, @entry_hash)').run({
    ...forged,
    entry_hash: forgeEntryHash(forged),
  });
  db.close();
  const result = verifyAuditChain(handle.db);
  assert.equal(result.ok, false);
  assert.ok(problemsOf(result).includes('4:broken_link'), problemsOf(result).join(', '));
  assert.ok(problemsOf(result).includes(`${ENTRIES + 1}:head_mismatch`));
});

test('an entry appended outside the application does not match the recorded head', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  const last = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(ENTRIES) as RawEntry;
  const forged = { seq: ENTRIES + 1, at_utc: last.at_utc, actor: TEST_ACTOR, action: 'test.forged', details: '{}', prev_hash: last.entry_hash };
  db.prepare('INSERT INTO audit_log (seq, at_utc, actor, action, details, prev_hash, entry_hash) VALUES (@seq, @at_utc, @actor, @action, @details, @prev_hash, @entry_hash)').run({
    ...forged,
    entry_hash: forgeEntryHash(forged),
  });
  db.close();
  assert.deepEqual(problemsOf(verifyAuditChain(handle.db)), [`${ENTRIES + 1}:head_mismatch`]);
});

test('a truncated tail does not match the recorded head', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  db.prepare('DELETE FROM audit_log WHERE seq > ?').run(ENTRIES - 2);
  db.close();
  const result = verifyAuditChain(handle.db);
  assert.equal(result.ok, false);
  assert.equal(result.entries, ENTRIES - 2);
  assert.deepEqual(problemsOf(result), [`${ENTRIES - 2}:head_mismatch`]);
  assert.match(result.problems[0]?.message ?? '', /cut off/);
});

test('an emptied log is caught too', (t) => {
  const { handle } = caseWithLog(t);
  const db = openAsTamperer(handle.dir);
  db.prepare('DELETE FROM audit_log').run();
  db.close();
  const result = verifyAuditChain(handle.db);
  assert.equal(result.entries, 0);
  assert.equal(result.headHash, null);
  assert.deepEqual(problemsOf(result), ['0:head_mismatch']);
});
