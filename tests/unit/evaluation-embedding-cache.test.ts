// The embedding cache of `modelprint evaluate` (FILE.npy + FILE.npy.json): what a run writes, a
// later run loads instead of fingerprinting, and what it refuses (another extractor, other files).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { embedLabelledFolder } from '../../src-engine/labelled-folders/embedded-folder.ts';
import { evaluateFolder } from '../../src-engine/evaluation/evaluate-folder.ts';
import { decodeNpyF32, encodeNpyF32 } from '../../src-engine/labelled-folders/npy.ts';
import { FingerprintService } from '../../src-engine/fingerprint/fingerprint-service.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { noiseImage } from './helpers/noise-images.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

test('.npy encoding: numpy v1.0 header, 64-byte aligned data, exact round trip', () => {
  const rows = [Float32Array.from([1, -2.5, 3e-8]), Float32Array.from([0, Math.PI, -0])];
  const bytes = encodeNpyF32(rows, 3);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const dataStart = 10 + bytes.readUInt16LE(8);
  assert.equal(dataStart % 64, 0);
  assert.match(bytes.subarray(10, dataStart).toString('latin1'), /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  assert.equal(bytes.length, dataStart + 2 * 3 * 4);
  assert.deepEqual(decodeNpyF32(bytes), { rows, dim: 3 });
  assert.throws(() => decodeNpyF32(bytes.subarray(0, bytes.length - 4)), /header says 2 x 3/);
  assert.throws(() => decodeNpyF32(Buffer.from('not numpy')), /not a \.npy file/);
});

async function tinyFolder(dir: string): Promise<void> {
  let seed = 0;
  for (const [name, factor] of [['gen-a', 2], ['gen-b', 4]] as const) {
    fs.mkdirSync(path.join(dir, name));
    for (let i = 0; i < 3; i++) {
      const png = await noiseImage(128 / factor, 128 / factor, ++seed).resize(128, 128, { kernel: 'nearest' }).png().toBuffer();
      fs.writeFileSync(path.join(dir, name, `${i}.png`), png);
    }
  }
  fs.writeFileSync(path.join(dir, 'gen-b', 'broken.png'), 'not a png');
}

test('a saved cache reloads to the same embeddings and the same report; other extractors and other files are refused', async (t) => {
  const dir = makeTempDir(t, 'modelprint-embed-cache');
  const data = path.join(dir, 'set');
  fs.mkdirSync(data);
  await tinyFolder(data);
  const cache = path.join(dir, 'cache.npy');
  const service = new FingerprintService({ modelsDir: path.dirname(installedModel().onnxPath) });
  t.after(() => service.close());

  const computed = await embedLabelledFolder(data, service, { cacheOut: cache });
  assert.equal(computed.fromCache, null);
  assert.deepEqual(computed.files, ['gen-a/0.png', 'gen-a/1.png', 'gen-a/2.png', 'gen-b/0.png', 'gen-b/1.png', 'gen-b/2.png']);
  assert.deepEqual(computed.labels, [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(computed.unreadable.map((u) => [u.file, u.generator]), [['gen-b/broken.png', 1]]);
  const index = JSON.parse(fs.readFileSync(`${cache}.json`, 'utf8'));
  assert.deepEqual(index.extractor.sha256, installedModel().sha256);
  assert.deepEqual(index.generators, ['gen-a', 'gen-b']);
  assert.deepEqual(index.files[3], { file: 'gen-b/0.png', generator: 1 });

  const loaded = await embedLabelledFolder(data, service, { cacheIn: cache });
  assert.equal(loaded.fromCache, cache);
  assert.deepEqual(loaded.embeddings, computed.embeddings, 'float32 survives the round trip bit for bit');
  assert.deepEqual([loaded.labels, loaded.files, loaded.unreadable], [computed.labels, computed.files, computed.unreadable]);

  const fresh = await evaluateFolder(data, service, { seed: 1, pairsEach: 20 });
  const cached = await evaluateFolder(data, service, { seed: 1, pairsEach: 20, cacheIn: cache });
  assert.deepEqual({ ...cached, embeddingCache: null }, { ...fresh, embeddingCache: null });
  assert.deepEqual(cached.embeddingCache, { loadedFrom: cache, savedTo: null });

  // numpy reads the file as a [6, dim] float32 array, when a python3 with numpy is at hand.
  const numpy = spawnSync('/usr/bin/python3', ['-c', `import numpy as n; a = n.load(${JSON.stringify(cache)}); print(a.dtype, a.shape)`], { encoding: 'utf8' });
  if (numpy.status === 0) assert.equal(numpy.stdout.trim(), `float32 (6, ${computed.dim})`);

  fs.writeFileSync(path.join(data, 'gen-a', '3.png'), fs.readFileSync(path.join(data, 'gen-a', '0.png')));
  await assert.rejects(embedLabelledFolder(data, service, { cacheIn: cache }), /another set of images/);
  fs.rmSync(path.join(data, 'gen-a', '3.png'));
  fs.writeFileSync(`${cache}.json`, JSON.stringify({ ...index, extractor: { name: 'other', sha256: '0'.repeat(64) } }));
  await assert.rejects(embedLabelledFolder(data, service, { cacheIn: cache }), /made with extractor 0000/);
});

test('modelprint evaluate --save-embeddings then --embeddings gives the same figures', async (t) => {
  const dir = makeTempDir(t, 'modelprint-embed-cache-cli');
  const data = path.join(dir, 'set');
  fs.mkdirSync(data);
  await tinyFolder(data);
  const cache = path.join(dir, 'emb.npy');
  const run = (...args: string[]) => {
    const r = spawnSync(nodeBinary, [path.join(repoRoot, 'bin', 'modelprint.js'), '--home', dir, '--json', 'evaluate', data, ...args], { encoding: 'utf8' });
    return { code: r.status, json: JSON.parse(r.stdout) };
  };
  const first = run('--save-embeddings', cache);
  assert.equal(first.code, 5, 'one unreadable image: exit 5');
  assert.ok(fs.existsSync(cache) && fs.existsSync(`${cache}.json`));
  const second = run('--embeddings', cache);
  assert.equal(second.code, 5);
  assert.deepEqual(second.json.identification, first.json.identification);
  assert.deepEqual(second.json.verification, first.json.verification);
  assert.equal(run('--embeddings', path.join(dir, 'missing.npy')).code, 2);
});
