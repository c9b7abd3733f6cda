// The worker that keeps decoding and inference off the engine's thread.
import assert from 'node:assert/strict';
import test from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EmbedResult } from '../../src-engine/fingerprint/extractor.ts';
import { FingerprintWorker } from '../../src-engine/fingerprint/worker-client.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { writeNoisePng } from './helpers/noise-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const model = installedModel();

test('the engine thread stays responsive while the worker fingerprints, and results stream in order', async (t) => {
  const dir = makeTempDir(t, 'modelprint-worker');
  const files = await Promise.all(Array.from({ length: 12 }, (_, i) => writeNoisePng(dir, `${i}.png`, 700, 700, i)));
  const worker = new FingerprintWorker();
  t.after(() => worker.close());
  await worker.open(model.onnxPath, ['cpu']);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const results: EmbedResult[] = [];
  const { cancelled } = await worker.embed(files.map((path) => ({ path })), { onResult: (r) => results.push(r) });
  const elapsed = performance.now() - started;
  delay.disable();
  assert.equal(cancelled, false);
  assert.deepEqual(results.map((r) => [r.index, r.ok]), files.map((_, i) => [i, true]));
  // Decoding and inference take the whole run; the engine's thread only ever waits for messages.
  const worstStallMs = delay.max / 1e6;
  assert.ok(worstStallMs < Math.max(100, elapsed / 10), `event loop stalled ${worstStallMs.toFixed(0)} ms during a ${elapsed.toFixed(0)} ms run`);
});

test('cancelling stops the worker between batches; a bad model or a closed worker is an error, not a hang', async (t) => {
  const dir = makeTempDir(t, 'modelprint-worker-cancel');
  const files = await Promise.all(Array.from({ length: 6 }, (_, i) => writeNoisePng(dir, `${i}.png`, 300, 300, i)));
  const worker = new FingerprintWorker();
  t.after(() => worker.close());
  await assert.rejects(worker.open(`${dir}/missing.onnx`, ['cpu']), /missing\.onnx|no execution provider/);
  await worker.open(model.onnxPath, ['cpu']);
  const controller = new AbortController();
  let seen = 0;
  const outcome = await worker.embed(files.map((path) => ({ path })), {
    batchCrops: 9,
    signal: controller.signal,
    onResult: () => {
      seen++;
      controller.abort();
    },
  });
  assert.equal(outcome.cancelled, true);
  assert.ok(seen < files.length, `${seen} results after cancelling`);
  await worker.close();
  assert.equal(worker.alive, false);
  await assert.rejects(worker.embed(files.map((path) => ({ path })), { onResult: () => undefined }), /closed/);
});
