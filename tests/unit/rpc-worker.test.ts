// The generic worker RPC: closing a worker whose native work is still running must not take the
// process down (a native add-on finishing inside a terminated thread aborts the whole process).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import test from 'node:test';
import { RpcWorker } from '../../src-engine/base/rpc-worker.ts';

const churnScript = fileURLToPath(new URL('./helpers/native-churn-worker.ts', import.meta.url));

test('closing a worker in the middle of native work lets it wind down; its pending call is answered', async () => {
  for (const delayMs of [30, 120, 400]) {
    const worker = new RpcWorker(churnScript, 'churn worker');
    const churning = worker.call<number>({ type: 'churn' });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await worker.close();
    assert.equal(worker.alive, false);
    await assert.rejects(churning, /churn worker stopped \(exit code 0\)/, 'the thread ended by itself, not by termination');
    await assert.rejects(worker.call({ type: 'churn' }), /closed/);
  }
});
