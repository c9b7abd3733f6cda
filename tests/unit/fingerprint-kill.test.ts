// A fingerprint run killed with SIGKILL part-way has audited every fingerprint it saved: each one
// was committed with its audit entry (and that entry's record digests), so nothing saved is
// unrecorded, and audit verify finds the case intact.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import test from 'node:test';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { Library } from '../../src-engine/cases/library.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { nodeBinary } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles } from './helpers/test-case.ts';

const ITEMS = 30;
const KILL_AFTER = 4;
const childScript = path.join(import.meta.dirname, 'helpers', 'fingerprint-child.ts');

test(`a fingerprint run killed after ${KILL_AFTER} saved fingerprints has audited each one`, async (t) => {
  const { home, handle: setup, library: setupLibrary } = createTestCase(t);
  const images = makeTempDir(t, 'modelprint-kill-images');
  for (let i = 0; i < ITEMS; i++) await writeNoisePng(images, `n${i}.png`, 128, 128, i + 1);
  await importFiles(setup, [images]);
  const caseId = setup.id;
  setupLibrary.close();

  const child = spawn(nodeBinary, [childScript, home, caseId], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    const saved = /^saved (\d+)$/.exec(line);
    if ((saved && Number(saved[1]) >= KILL_AFTER) || line === 'finished') {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL', 'the run was killed before it finished');

  const library = new Library(home);
  t.after(() => library.close());
  const handle = library.openCase(caseId);
  const saved = (handle.db.prepare('SELECT item_id, model_sha256 FROM fingerprints ORDER BY item_id').all() as Array<{ item_id: number; model_sha256: string }>).map((r) => JSON.stringify([r.item_id, r.model_sha256]));
  assert.ok(saved.length >= KILL_AFTER && saved.length < ITEMS, `${saved.length} fingerprints saved before the kill`);
  const audited = (handle.db.prepare("SELECT records FROM audit_log WHERE action = 'evidence.fingerprinted' ORDER BY seq").all() as Array<{ records: string }>)
    .flatMap((e) => (JSON.parse(e.records) as Array<{ kind: string; key: unknown[] }>).filter((r) => r.kind === 'fingerprint'))
    .map((r) => JSON.stringify(r.key));
  assert.deepEqual(audited.sort(), [...saved].sort(), 'each saved fingerprint has its audit entry, with its digest');
  assert.equal(handle.db.prepare("SELECT 1 FROM audit_log WHERE action LIKE 'fingerprint.%'").get(), undefined, 'the run never finished');
  const check = verifyAuditChain(handle.db);
  assert.deepEqual([check.ok, check.problems, check.records.problems], [true, [], []]);
  assert.equal(check.records.notCovered, 0);
});
