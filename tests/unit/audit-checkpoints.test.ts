// Signed checkpoints: the audit chain's tamper evidence must not rest on the database it protects.
// Someone with the source can rewrite every entry and the recorded head consistently (the chain
// then verifies); the checkpoints, signed with a key outside the case, still catch it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, createPublicKey, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { appendAudit, verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { loadOrCreateSigningKey, verifyCheckpoints, writeCheckpoint, type Checkpoint } from '../../src-engine/audit/checkpoints.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { forgeEntryHash, openAsTamperer } from './helpers/tamper.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, TEST_ACTOR, type TestCase } from './helpers/test-case.ts';
import { startEngine } from './helpers/test-engine.ts';

function addEntries(c: TestCase, n: number): void {
  for (let i = 0; i < n; i++) c.handle.db.transaction(() => appendAudit(c.handle.db, TEST_ACTOR, 'case.noted', { i }))();
}

/** What someone with the source can do: change an entry, then re-hash every entry and the head. */
function rewriteChain(caseDir: string, change: { seq: number; details: string } | null, keepUpTo?: number): void {
  const db = openAsTamperer(caseDir);
  if (keepUpTo !== undefined) db.prepare('DELETE FROM audit_log WHERE seq > ?').run(keepUpTo);
  if (change) db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(change.details, change.seq);
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Array<{ seq: number; at_utc: string; actor: string; action: string; details: string; prev_hash: string; entry_hash: string }>;
  let prev = rows[0]!.prev_hash;
  for (const row of rows) {
    const entryHash = forgeEntryHash({ ...row, prev_hash: prev });
    db.prepare('UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE seq = ?').run(prev, entryHash, row.seq);
    prev = entryHash;
  }
  db.prepare('UPDATE case_info SET audit_head_seq = ?, audit_head_hash = ? WHERE id = 1').run(rows.at(-1)!.seq, prev);
  db.close();
}

test('a checkpoint signs the head with a key kept outside the case, and verifies', (t) => {
  const c = createTestCase(t);
  addEntries(c, 3);
  const checkpoint = writeCheckpoint(c.home, c.handle.dir, c.handle.db)!;
  assert.equal(checkpoint.seq, 4);
  const keyFile = path.join(c.home, 'keys', 'audit-ed25519.pem');
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  assert.ok(!keyFile.startsWith(c.handle.dir), 'the key is not in the case folder');
  assert.equal(loadOrCreateSigningKey(c.home).keyId, checkpoint.keyId, 'the same key on every use');
  assert.ok(fs.existsSync(path.join(c.handle.dir, 'audit-checkpoints.jsonl')));
  addEntries(c, 2);
  assert.deepEqual(verifyCheckpoints(c.home, c.handle.dir, c.handle.db), { checkpoints: 1, foreignKeys: [], problems: [] });
});

test('a chain rewritten with its head verifies as a chain, but not against its checkpoints', (t) => {
  const c = createTestCase(t);
  addEntries(c, 4);
  writeCheckpoint(c.home, c.handle.dir, c.handle.db);
  rewriteChain(c.handle.dir, { seq: 2, details: '{"i":"something else"}' });
  assert.equal(verifyAuditChain(c.handle.db).ok, true, 'the forgery is consistent');
  const check = verifyCheckpoints(c.home, c.handle.dir, c.handle.db);
  assert.deepEqual(check.problems.map((p) => `${p.seq}:${p.problem}`), ['5:chain_rewritten']);
});

test('a tail cut off before the last checkpoint shows, even with the head moved back', (t) => {
  const c = createTestCase(t);
  addEntries(c, 4);
  writeCheckpoint(c.home, c.handle.dir, c.handle.db);
  rewriteChain(c.handle.dir, null, 3);
  assert.equal(verifyAuditChain(c.handle.db).ok, true);
  assert.deepEqual(verifyCheckpoints(c.home, c.handle.dir, c.handle.db).problems.map((p) => `${p.seq}:${p.problem}`), ['5:tail_cut']);
});

test('forged, foreign and removed checkpoints are told apart', (t) => {
  const c = createTestCase(t);
  addEntries(c, 2);
  writeCheckpoint(c.home, c.handle.dir, c.handle.db);
  const file = path.join(c.handle.dir, 'audit-checkpoints.jsonl');
  const original = JSON.parse(fs.readFileSync(file, 'utf8').trim()) as Checkpoint;

  // Changed without re-signing: the signature no longer matches.
  fs.writeFileSync(file, `${JSON.stringify({ ...original, seq: 2, entryHash: 'f'.repeat(64) })}\n`);
  const forged = verifyCheckpoints(c.home, c.handle.dir, c.handle.db).problems.map((p) => p.problem);
  assert.ok(forged.includes('bad_signature'));
  // The case's copy no longer holds the checkpoint made here: the library's copy says so.
  assert.ok(forged.includes('removed'));

  // Re-signed with another key: valid, but not this workstation's key.
  fs.rmSync(path.join(c.home, 'checkpoints'), { recursive: true });
  const other = generateKeyPairSync('ed25519');
  const otherHome = makeTempDir(t, 'modelprint-other-lab');
  fs.mkdirSync(path.join(otherHome, 'keys'));
  fs.writeFileSync(path.join(otherHome, 'keys', 'audit-ed25519.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.rmSync(file);
  const theirs = writeCheckpoint(otherHome, c.handle.dir, c.handle.db)!;
  const der = createPublicKey(other.privateKey).export({ type: 'spki', format: 'der' });
  assert.equal(theirs.keyId, createHash('sha256').update(der).digest('hex'));
  const check = verifyCheckpoints(c.home, c.handle.dir, c.handle.db);
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.foreignKeys, [theirs.keyId]);
});

test('audit verify signs a checkpoint when all is intact, and exits 1 for a consistently rewritten chain', (t) => {
  const home = makeTempDir(t, 'modelprint-checkpoint-cli');
  const run = (...args: string[]) => spawnSync(nodeBinary, [path.join(repoRoot, 'bin', 'modelprint.js'), '--home', home, ...args], { encoding: 'utf8' });
  assert.equal(run('case', 'create', '--number', 'CP-1', '--title', 'Checkpoints', '--examiner', 'x').status, 0);
  const id = JSON.parse(run('--json', 'case', 'show', 'CP-1').stdout).id as string;
  const first = run('--json', 'audit', 'verify', '--case', 'CP-1');
  assert.equal(first.status, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).checkpoints.written.seq, 1);
  assert.equal(run('case', 'show', 'CP-1').status, 0);
  rewriteChain(path.join(home, 'cases', id), { seq: 1, details: '{"number":"CP-1","title":"Something else"}' });
  const second = run('audit', 'verify', '--case', 'CP-1');
  assert.match(second.stdout, /Audit log chain intact/);
  assert.match(second.stdout, /SIGNED CHECKPOINTS CONTRADICT THE LOG/);
  assert.equal(second.status, 1);
});

test("the app's audit verification checks the checkpoints too, and signs each head once", async (t) => {
  const { call, home } = startEngine(t);
  const summary = await call('createCase', { number: 'CP-2', title: 'Checkpoints', examiner: 'x', description: '' });
  assert.equal((await call('verifyAudit', { caseId: summary.id })).ok, true);
  assert.equal((await call('verifyAudit', { caseId: summary.id })).ok, true);
  const file = path.join(home, 'cases', summary.id, 'audit-checkpoints.jsonl');
  assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 1, 'an unchanged head is signed once');
  rewriteChain(path.join(home, 'cases', summary.id), { seq: 1, details: '{"number":"CP-2","title":"Something else"}' });
  const result = await call('verifyAudit', { caseId: summary.id });
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems.map((p) => p.problem), ['checkpoint_mismatch']);
});
