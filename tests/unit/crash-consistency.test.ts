// A process killed with SIGKILL in the middle of an import (power cut, OOM killer, task manager)
// must leave a case where every recorded item is whole, and the next write must clean up and
// finish the job.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import test, { after, before } from 'node:test';
import { ensureSyntheticPngs } from '../../bench/synthetic-images.ts';
import { verifyAuditChain } from '../../src-engine/audit/audit-log.ts';
import { withCaseLock } from '../../src-engine/cases/case-lock.ts';
import { Library } from '../../src-engine/cases/library.ts';
import { recoverInterruptedWrites } from '../../src-engine/evidence/recovery.ts';
import { nodeBinary } from './helpers/repo-paths.ts';
import { assertEveryRowIsWhole, findOrphans, listStore } from './helpers/store-inspection.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles, tableCount, TEST_ACTOR } from './helpers/test-case.ts';

const FILES = 200;
const childScript = path.join(import.meta.dirname, 'helpers', 'import-child.ts');
const folder = makeTempDir({ after }, 'modelprint-crash-images');

before(() => ensureSyntheticPngs(folder, FILES, 320));

/** Starts an import in a child process and kills it once `killAfter` items are committed. */
async function importAndKill(home: string, caseId: string, killAfter: number): Promise<{ reported: number }> {
  const child = spawn(nodeBinary, [childScript, home, caseId, folder], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let reported = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const committed = /^committed (\d+)$/.exec(line);
    if (committed) reported = Number(committed[1]);
    if (reported >= killAfter || line === 'finished') {
      child.kill('SIGKILL');
      break;
    }
  }
  // Waiting for 'exit' also reaps the child, so its pid no longer looks alive to the case lock.
  assert.equal(await exited, 'SIGKILL', 'the import was killed before it finished');
  return { reported };
}

for (const killAfter of [0, 3, 60, 150]) {
  test(`killed after ${killAfter} committed items: the case stays consistent and the import can be completed`, async (t) => {
    const { home, handle: setupHandle, library: setupLibrary } = createTestCase(t);
    const caseId = setupHandle.id;
    setupLibrary.close();

    const { reported } = await importAndKill(home, caseId, killAfter);

    const library = new Library(home);
    t.after(() => library.close());
    const handle = library.openCase(caseId);
    const committed = tableCount(handle, 'evidence_items');
    assert.ok(committed >= reported && committed < FILES, `${committed} rows after a kill at ${reported}`);
    assertEveryRowIsWhole(handle);
    assert.equal(verifyAuditChain(handle.db).ok, true, 'the audit chain survives the kill');

    // The dead child's write.lock is taken over; what it left half-written is swept.
    await withCaseLock(handle.dir, async () => recoverInterruptedWrites(handle, TEST_ACTOR));
    assert.deepEqual(findOrphans(handle), { evidence: [], thumbnails: [], tmp: [] });
    assert.equal(tableCount(handle, 'evidence_items'), committed, 'recovery never removes recorded items');
    assertEveryRowIsWhole(handle);

    const rerun = await importFiles(handle, [folder]);
    assert.deepEqual(rerun.counts, { imported: FILES - committed, notAnalysable: 0, duplicates: 0, alreadyInCase: committed, failed: 0 });
    assert.equal(tableCount(handle, 'evidence_items'), FILES);
    assertEveryRowIsWhole(handle);
    assert.deepEqual(findOrphans(handle), { evidence: [], thumbnails: [], tmp: [] });
    assert.equal(listStore(handle.dir).evidence.length, FILES);
    assert.equal(verifyAuditChain(handle.db).ok, true);
  });
}
