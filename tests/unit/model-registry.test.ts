import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { ApiError } from '../../src-engine/api/errors.ts';
import { hashesStatedIn, loadModel, locateModelsDir } from '../../src-engine/models/model-registry.ts';
import { repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

// The registry never parses the ONNX file: any bytes stand in for it here.
const MODEL_BYTES = Buffer.from('not really onnx, but hashed all the same');
const MODEL_SHA = createHash('sha256').update(MODEL_BYTES).digest('hex');

function modelsFolder(t: test.TestContext, card: string | null): string {
  const dir = makeTempDir(t, 'modelprint-models');
  fs.writeFileSync(path.join(dir, 'spectral-extractor-v1.onnx'), MODEL_BYTES);
  if (card !== null) fs.writeFileSync(path.join(dir, 'spectral-extractor-v1.md'), card);
  return dir;
}

const refused = (code: string, message: RegExp) => (error: unknown) => error instanceof ApiError && error.code === code && message.test(error.message);

test('a model whose sha256 its card states is loaded with the card', (t) => {
  const card = `# Extractor\n\n| file | spectral-extractor-v1.onnx |\n| SHA-256 | \`${MODEL_SHA.toUpperCase()}\` |\n`;
  const model = loadModel(modelsFolder(t, card), 'spectral-extractor-v1');
  assert.equal(model.sha256, MODEL_SHA);
  assert.equal(model.card, card);
  assert.equal(model.name, 'spectral-extractor-v1');
});

test('a model that does not match its card, or has no card or no stated hash, is refused', (t) => {
  const other = 'a'.repeat(64);
  assert.throws(() => loadModel(modelsFolder(t, `sha256: ${other}\n`), 'spectral-extractor-v1'), refused('internal', new RegExp(`does not match its model card.*${MODEL_SHA}.*${other}`)));
  assert.throws(() => loadModel(modelsFolder(t, null), 'spectral-extractor-v1'), refused('not_found', /model card .* is missing/));
  assert.throws(() => loadModel(modelsFolder(t, `# A card\n${MODEL_SHA} on a line that does not say what it is\n`), 'spectral-extractor-v1'), refused('internal', /states no sha256/));
  assert.throws(() => loadModel(makeTempDir(t, 'modelprint-empty')), refused('not_found', /not installed/));
  assert.throws(() => loadModel(null), refused('not_found', /not installed/));
});

test('hashes are read only from lines that name sha256', () => {
  assert.deepEqual(hashesStatedIn(`sha256 ${'b'.repeat(64)}\nmd5-like ${'c'.repeat(64)}\n- SHA-256 of the file: ${'D'.repeat(64)}`), ['b'.repeat(64), 'd'.repeat(64)]);
});

test('the models folder comes from MODELPRINT_MODELS, else from walking up to resources/models', (t) => {
  const dir = makeTempDir(t, 'modelprint-located');
  assert.equal(locateModelsDir({ MODELPRINT_MODELS: dir }), dir);
  // From the source tree and from the electron-vite bundle (out/main) alike.
  assert.equal(locateModelsDir({}, path.join(repoRoot, 'src-engine', 'models')), path.join(repoRoot, 'resources', 'models'));
  assert.equal(locateModelsDir({}, path.join(repoRoot, 'out', 'main')), path.join(repoRoot, 'resources', 'models'));
  const nested = path.join(dir, 'app', 'out', 'main');
  fs.mkdirSync(nested, { recursive: true });
  fs.mkdirSync(path.join(dir, 'app', 'resources', 'models'), { recursive: true });
  assert.equal(locateModelsDir({}, nested), path.join(dir, 'app', 'resources', 'models'));
});
