// Builds the C_T reference set of a layered encoder: embeds T (the synthetic generators' real
// training pool) and P (held-out real images), both rendered by training/attribution, with the
// engine's own preprocessing and writes resources/ct-reference/<encoder>.reference.{json,bin}.
// Run from the repository root after training (or for a ViT of your own, with its card and sidecar
// in the models folder):
//   node src-engine/builders/build-reference-set.ts [--encoder NAME] [--models DIR] [--T DIR] [--P DIR] [--out DIR] [--description TEXT]
// Re-run it whenever the encoder changes: a reference set belongs to one encoder.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectFiles } from '../base/walk.ts';
import { providersToTry } from '../base/providers.ts';
import { embedLayered, LayeredEncoder } from '../layered/layered-encoder.ts';
import { type InstalledLayeredEncoder, layeredEncoderName, loadLayeredEncoder } from '../layered/layered-model.ts';
import { locateModelsDir } from '../models/model-registry.ts';
import type { Matrix } from '../base/linear-algebra/matrix.ts';
import { loadReferenceSet, writeReferenceSet } from '../ct-curve/reference-set.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const DATA = path.join(REPO, 'training', 'artifacts', 'attribution', 'ct_reference');

/** Every image under `folder`, in path order, embedded: one matrix per layer. Any failure stops the build. */
async function embedFolder(encoder: LayeredEncoder, folder: string, log: (line: string) => void): Promise<Matrix[]> {
  const walk = await collectFiles([folder]);
  if (walk.problems.length > 0) throw new Error(`${folder}: ${walk.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  const files = [...walk.files].sort();
  if (files.length === 0) throw new Error(`${folder} holds no files`);
  const { layers, dim } = encoder.facts;
  const matrices = Array.from({ length: layers }, () => ({ rows: files.length, cols: dim, data: new Float32Array(files.length * dim) }));
  let done = 0;
  await embedLayered(encoder, files.length, (i) => fs.promises.readFile(files[i]!), {
    onResult: (result) => {
      if (!result.ok) throw new Error(`${files[result.index]}: ${result.message}`);
      for (let layer = 0; layer < layers; layer++) matrices[layer]!.data.set(result.layers.subarray(layer * dim, (layer + 1) * dim), result.index * dim);
      if (++done % 250 === 0 || done === files.length) log(`  ${path.relative(REPO, folder)}: ${done}/${files.length}`);
    },
  });
  return matrices;
}

export async function buildReferenceSet(options: { encoder: InstalledLayeredEncoder; T: string; P: string; out: string; description?: string; log: (line: string) => void }): Promise<void> {
  const { encoder: installed, log } = options;
  const encoder = await LayeredEncoder.open(installed.onnxPath, installed.sidecar, providersToTry());
  try {
    log(`${installed.name} ${installed.sha256}: ${encoder.facts.layers} layers of ${encoder.facts.dim} on ${encoder.facts.provider}`);
    const T = await embedFolder(encoder, options.T, log);
    const P = await embedFolder(encoder, options.P, log);
    const description =
      options.description ??
      `T: ${T[0]!.rows} real images of the synthetic generators' training pool; P: ${P[0]!.rows} held-out real images (disjoint seeds); rendered by training/attribution`;
    const header = writeReferenceSet(options.out, {
      encoder: { name: installed.name, sha256: installed.sha256, sidecar: installed.sidecar },
      description,
      sources: { T: path.relative(REPO, options.T), P: path.relative(REPO, options.P) },
      layers: T.map((t, layer) => ({ T: t, P: P[layer]! })),
    });
    // Read back the way the engine will, so a set that does not verify is never left behind unnoticed.
    loadReferenceSet(options.out, installed);
    log(`wrote ${path.relative(REPO, options.out)}/${installed.name}.reference.{json,bin}: ${header.layers} layers, ${header.tCount} T + ${header.pCount} P, bin sha256 ${header.binSha256}`);
  } finally {
    await encoder.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { encoder: { type: 'string' }, models: { type: 'string' }, T: { type: 'string' }, P: { type: 'string' }, out: { type: 'string' }, description: { type: 'string' } },
    strict: true,
  });
  const modelsDir = values.models ? path.resolve(values.models) : locateModelsDir();
  await buildReferenceSet({
    encoder: loadLayeredEncoder(modelsDir, values.encoder ?? layeredEncoderName()),
    T: path.resolve(values.T ?? path.join(DATA, 'T')),
    P: path.resolve(values.P ?? path.join(DATA, 'P')),
    out: path.resolve(values.out ?? path.join(REPO, 'resources', 'ct-reference')),
    description: values.description,
    log: (line) => process.stdout.write(`${line}\n`),
  });
}
