// Faults in what the engine finds on disk: a store file swapped for a FIFO, a link to /dev/zero or
// a longer file (verify must neither hang nor read without end, and must say what it found);
// audit rows past the recorded head (writes refused as an integrity failure, exit 1, not a
// UNIQUE crash); truncated files without any C2PA data (not "C2PA invalid").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { CaseIntegrityError } from '../../src-engine/cases/case-paths.ts';
import { checkStoredCopy } from '../../src-engine/integrity/stored-copy.ts';
import { verifyEvidence } from '../../src-engine/integrity/verify-evidence.ts';
import { analyseProvenance } from '../../src-engine/provenance/analyse.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { writeSample } from './helpers/sample-images.ts';
import { forgeEntryHash, openAsTamperer } from './helpers/tamper.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles, tableCount, TEST_ACTOR } from './helpers/test-case.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test('verify reads only regular files, a bounded number of bytes, and says what it found instead', async (t) => {
  const dir = makeTempDir(t, 'modelprint-store-faults');
  const files = await Promise.all([0, 1, 2, 3].map((i) => writeSample.png(dir, `p${i}.png`, i)));
  const { handle } = createTestCase(t);
  await importFiles(handle, files);
  const items = handle.db.prepare('SELECT id, sha256, size_bytes FROM evidence_items ORDER BY id').all() as Array<{ id: number; sha256: string; size_bytes: number }>;
  const stored = items.map((item) => handle.store.evidencePath(item.sha256));
  for (const file of stored.slice(0, 3)) fs.rmSync(file, { force: true });
  spawnSync('mkfifo', [stored[0]!]);
  assert.ok(fs.lstatSync(stored[0]!).isFIFO());
  fs.symlinkSync('/dev/zero', stored[1]!);
  fs.writeFileSync(stored[2]!, Buffer.alloc(items[2]!.size_bytes * 4, 1));

  // Each check on its own: none blocks, none reads more than the recorded size plus one byte.
  const fifo = await withTimeout(checkStoredCopy(stored[0]!, { sha256: items[0]!.sha256, sizeBytes: items[0]!.size_bytes }), 5000, 'FIFO');
  assert.match(fifo.result === 'missing' ? fifo.message : fifo.result, /FIFO/);
  const zero = await withTimeout(checkStoredCopy('/dev/zero', { sha256: items[1]!.sha256, sizeBytes: 10 }), 5000, '/dev/zero');
  assert.match(zero.result === 'missing' ? zero.message : zero.result, /device/);

  const outcome = await withTimeout(verifyEvidence(handle, { actor: TEST_ACTOR }), 20_000, 'verify');
  assert.deepEqual(outcome.counts, { verified: 1, mismatched: 1, missing: 2 });
  const findings = handle.db.prepare('SELECT item_id, kind, details FROM findings ORDER BY item_id').all() as Array<{ item_id: number; kind: string; details: string }>;
  const byItem = new Map(findings.map((f) => [f.item_id, { kind: f.kind, details: JSON.parse(f.details) as Record<string, unknown> }]));
  assert.equal(byItem.get(items[0]!.id)!.kind, 'missing_file');
  assert.match(String(byItem.get(items[0]!.id)!.details.message), /replaced by a FIFO \(named pipe\): not read/);
  assert.equal(byItem.get(items[1]!.id)!.kind, 'missing_file');
  assert.match(String(byItem.get(items[1]!.id)!.details.message), /replaced by a symbolic link: not read/);
  assert.equal(byItem.get(items[2]!.id)!.kind, 'hash_mismatch');
  assert.equal(byItem.get(items[2]!.id)!.details.actualSha256, null);
  assert.match(String(byItem.get(items[2]!.id)!.details.message), /longer than the \d+ bytes received/);
  assert.equal(byItem.has(items[3]!.id), false);
});

/** Appends a well-formed entry to the log without moving the case's recorded head. */
function addRowBeyondHead(caseDir: string): number {
  const db = openAsTamperer(caseDir);
  const last = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: string };
  const row = { seq: last.seq + 1, at_utc: '2030-01-01T00:00:00.000Z', actor: 'someone', action: 'case.noted', details: '{}', prev_hash: last.entry_hash };
  db.prepare('INSERT INTO audit_log (seq, at_utc, actor, action, details, prev_hash, entry_hash) VALUES (@seq, @at_utc, @actor, @action, @details, @prev_hash, @entry_hash)').run({ ...row, entry_hash: forgeEntryHash(row) });
  db.close();
  return row.seq;
}

test('audit rows beyond the recorded head refuse every write as an integrity failure', async (t) => {
  const dir = makeTempDir(t, 'modelprint-beyond-head');
  const first = await writeSample.png(dir, 'a.png', 1);
  const second = await writeSample.png(dir, 'b.png', 2);
  const { handle } = createTestCase(t);
  await importFiles(handle, [first]);
  const extra = addRowBeyondHead(handle.dir);
  const before = tableCount(handle, 'evidence_items');
  await assert.rejects(importFiles(handle, [second]), (error: Error) => {
    assert.ok(error instanceof CaseIntegrityError, String(error));
    assert.match(error.message, new RegExp(`entry ${extra} beyond the head recorded for this case`));
    return true;
  });
  assert.equal(tableCount(handle, 'evidence_items'), before);
  const check = verifyAuditChain(handle.db);
  assert.equal(check.ok, false);
  assert.deepEqual(check.problems.map((p) => p.problem), ['head_mismatch']);
});

test('the command line exits 1 (integrity), not 70, on audit rows beyond the head', async (t) => {
  const home = makeTempDir(t, 'modelprint-beyond-head-cli');
  const dir = path.join(home, 'in');
  fs.mkdirSync(dir);
  await writeSample.png(dir, 'a.png', 1);
  const run = (...args: string[]) => spawnSync(nodeBinary, [BIN, '--home', home, ...args], { encoding: 'utf8' });
  assert.equal(run('case', 'create', '--number', 'B-1', '--title', 'Beyond', '--examiner', 'x').status, 0);
  const id = JSON.parse(run('--json', 'case', 'show', 'B-1').stdout).id as string;
  addRowBeyondHead(path.join(home, 'cases', id));
  const imported = run('import', '--case', 'B-1', dir);
  assert.doesNotMatch(imported.stderr, /UNIQUE/);
  assert.match(imported.stderr, /beyond the head recorded/);
  assert.equal(imported.status, 1);
  assert.equal(run('audit', 'verify', '--case', 'B-1').status, 1);
});

test('a truncated PNG or WebP without C2PA data is not "C2PA invalid"', async (t) => {
  const dir = makeTempDir(t, 'modelprint-c2pa-truncated');
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).png().toBuffer();
  const webp = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).webp().toBuffer();
  const cases = [
    { name: 'cut.png', format: 'png', bytes: png.subarray(0, png.length >> 1) },
    { name: 'no-iend.png', format: 'png', bytes: png.subarray(0, png.length - 12) },
    { name: 'cut.webp', format: 'webp', bytes: webp.subarray(0, webp.length >> 1) },
    { name: 'tiny.webp', format: 'webp', bytes: Buffer.from('RIFF\x04\x00\x00\x00WEBP', 'latin1') },
  ];
  for (const c of cases) {
    const file = path.join(dir, c.name);
    fs.writeFileSync(file, c.bytes);
    const report = await analyseProvenance(file, { format: c.format, extension: path.extname(c.name).slice(1) });
    assert.equal(report.c2pa.state, 'absent', `${c.name}: ${report.c2pa.details}`);
    assert.ok(!report.anomalies.some((a) => a.severity === 'critical' && /C2PA/i.test(a.message)), `${c.name}: ${JSON.stringify(report.anomalies)}`);
  }
});
