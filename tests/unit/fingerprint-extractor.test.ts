// The extractor on the installed model: shapes, the degenerate image sizes and pixel formats,
// determinism, batching, and parity with the PyTorch outputs exported by training/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import sharp from 'sharp';
import { CROP_VALUES } from '../../src-engine/fingerprint/crops.ts';
import { embedImages, FingerprintExtractor, type EmbedResult } from '../../src-engine/fingerprint/extractor.ts';
import { installedModel } from './helpers/fingerprint-model.ts';
import { noiseImage } from './helpers/noise-images.ts';

const model = installedModel();
let extractor: FingerprintExtractor;
test.before(async () => {
  extractor = await FingerprintExtractor.open(model.onnxPath, ['cpu']);
});
test.after(() => extractor.close());

async function embedAll(images: Uint8Array[], options: { batchCrops?: number; signal?: AbortSignal } = {}): Promise<{ results: EmbedResult[]; cancelled: boolean }> {
  const results: EmbedResult[] = [];
  const { cancelled } = await embedImages(extractor, images.length, async (i) => images[i]!, { ...options, onResult: (r) => results.push(r) });
  return { results: results.sort((a, b) => a.index - b.index), cancelled };
}

function ok(result: EmbedResult | undefined): Extract<EmbedResult, { ok: true }> {
  assert.ok(result?.ok, `expected a fingerprint, got ${JSON.stringify(result)}`);
  return result;
}

test('the model meets the extractor contract', () => {
  const { facts } = extractor;
  assert.equal(facts.provider, 'cpu');
  assert.ok(facts.embeddingDim >= 16, `embedding of ${facts.embeddingDim}`);
  assert.ok(facts.residualSize > 64 && facts.residualSize <= 128);
  assert.ok(['magnitude', 'log-magnitude'].includes(facts.spectrumForm));
});

test('every size and pixel format gives one unit-length fingerprint with the right number of crops', async () => {
  const cases: Array<[string, Promise<Buffer>, number]> = [
    ['64x64', noiseImage(64, 64).png().toBuffer(), 1],
    ['127x300', noiseImage(127, 300).png().toBuffer(), 3],
    ['128x128', noiseImage(128, 128).png().toBuffer(), 1],
    ['129x129', noiseImage(129, 129).png().toBuffer(), 1],
    ['130x131', noiseImage(130, 131).png().toBuffer(), 9],
    ['300x200', noiseImage(300, 200).png().toBuffer(), 9],
    ['1024x1024', noiseImage(1024, 1024).png().toBuffer(), 9],
    ['grey', noiseImage(200, 200).toColourspace('b-w').png().toBuffer(), 9],
    ['alpha', noiseImage(200, 200).ensureAlpha(0.5).png().toBuffer(), 9],
    ['16-bit', noiseImage(200, 200).toColourspace('rgb16').png().toBuffer(), 9],
    ['jpeg', noiseImage(200, 200).jpeg().toBuffer(), 9],
  ];
  const { results } = await embedAll(await Promise.all(cases.map(([, bytes]) => bytes)));
  cases.forEach(([name, , crops], i) => {
    const result = ok(results[i]);
    assert.equal(result.crops, crops, name);
    assert.equal(result.embedding.length, extractor.facts.embeddingDim, name);
    assert.ok(result.embedding.every(Number.isFinite), name);
    assert.ok(Math.abs(Math.hypot(...result.embedding) - 1) < 1e-5, `${name} is L2-normalised`);
  });
});

test('an image that cannot be decoded fails alone; the others are fingerprinted', async () => {
  const good = await noiseImage(150, 150).png().toBuffer();
  const { results } = await embedAll([good, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), good]);
  assert.equal(results.length, 3);
  assert.equal(results[1]!.ok, false);
  assert.deepEqual(ok(results[0]).embedding, ok(results[2]).embedding);
});

test('a fingerprint is deterministic and does not depend on the images batched with it', async () => {
  const images = await Promise.all([1, 2, 3, 4, 5].map((seed) => noiseImage(300, 260, seed).png().toBuffer()));
  const together = await embedAll(images, { batchCrops: 36 });
  const again = await embedAll(images, { batchCrops: 36 });
  const alone = await embedAll(images, { batchCrops: 9 });
  images.forEach((_, i) => {
    assert.deepEqual(ok(again.results[i]).embedding, ok(together.results[i]).embedding, `image ${i}, same batches`);
    assert.deepEqual(ok(alone.results[i]).embedding, ok(together.results[i]).embedding, `image ${i}, batched alone`);
  });
  // Different images must not collapse onto one fingerprint.
  assert.notDeepEqual(ok(together.results[0]).embedding, ok(together.results[1]).embedding);
});

test('an aborted run stops between batches', async () => {
  const images = await Promise.all([1, 2, 3, 4].map((seed) => noiseImage(300, 300, seed).png().toBuffer()));
  const controller = new AbortController();
  const results: EmbedResult[] = [];
  const { cancelled } = await embedImages(extractor, images.length, async (i) => images[i]!, {
    batchCrops: 9,
    signal: controller.signal,
    onResult: (r) => {
      results.push(r);
      controller.abort();
    },
  });
  assert.equal(cancelled, true);
  assert.equal(results.length, 1);
});

interface ReferenceStats {
  shape: number[];
  samples: Array<{ flat_index: number; value: number }>;
}
interface Reference {
  tolerance: { embedding_max_abs: number; embedding_min_cosine: number; residual_max_abs: number; spectrum: string };
  cases: Array<{ name: string; input_b64: string; embedding: number[]; residual: ReferenceStats; spectrum: ReferenceStats }>;
}

/** The spectrum tolerance is prose in the reference ("max abs 2e-3 ..." or "... <= 1e-4 * max(|spectrum|) ..."). */
function spectrumTolerance(text: string, reference: ReferenceStats): number {
  const absolute = /max abs ([0-9.e+-]+)/.exec(text);
  if (absolute) return Number(absolute[1]);
  const relative = /([0-9.e+-]+) \* max/.exec(text);
  assert.ok(relative, `cannot read the spectrum tolerance "${text}"`);
  return Number(relative[1]) * Math.max(...reference.samples.map((s) => Math.abs(s.value)));
}

test('onnxruntime agrees with PyTorch on the reference inputs exported by training/', async () => {
  assert.ok(fs.existsSync(model.referencePath), `${model.referencePath} is missing: training/export_onnx.py writes it with the model`);
  const reference = JSON.parse(fs.readFileSync(model.referencePath, 'utf8')) as Reference;
  const { tolerance } = reference;
  assert.ok(reference.cases.length > 0);
  for (const c of reference.cases) {
    const bytes = Buffer.from(c.input_b64, 'base64');
    assert.equal(bytes.length, CROP_VALUES, c.name);
    const out = await extractor.run(Float32Array.from(bytes, (b) => b / 255), 1, ['embedding', 'residual', 'spectrum']);
    const embedding = out.embedding!;
    assert.equal(embedding.length, c.embedding.length, `${c.name}: embedding size`);
    const maxAbs = Math.max(...c.embedding.map((v, i) => Math.abs(v - embedding[i]!)));
    assert.ok(maxAbs <= tolerance.embedding_max_abs, `${c.name}: embedding differs by ${maxAbs}`);
    // Cosine of the two vectors (v1 normalises per crop, v2 leaves that to the engine's mean).
    const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((sum, x) => sum + x * x, 0));
    const cosine = c.embedding.reduce((sum, v, i) => sum + v * embedding[i]!, 0) / (norm(c.embedding) * norm(embedding));
    assert.ok(cosine >= tolerance.embedding_min_cosine, `${c.name}: cosine ${cosine}`);
    assert.equal(out.residual!.length, c.residual.shape.reduce((a, b) => a * b, 1), `${c.name}: residual shape ${c.residual.shape}`);
    for (const s of c.residual.samples) {
      assert.ok(Math.abs(out.residual![s.flat_index]! - s.value) <= tolerance.residual_max_abs, `${c.name}: residual[${s.flat_index}]`);
    }
    const spectrumTol = spectrumTolerance(tolerance.spectrum, c.spectrum);
    for (const s of c.spectrum.samples) {
      assert.ok(Math.abs(out.spectrum![s.flat_index]! - s.value) <= spectrumTol, `${c.name}: spectrum[${s.flat_index}] ${out.spectrum![s.flat_index]} vs ${s.value}`);
    }
  }
});
