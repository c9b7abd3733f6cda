// A complete C_T setup on the tiny ViT of tests/fixtures/layered: noise images for T, P and Q,
// the reference set built by the engine's own script, and a CurveService over both.
import fs from 'node:fs';
import path from 'node:path';
import { buildReferenceSet } from '../../../src-engine/builders/build-reference-set.ts';
import { CurveService } from '../../../src-engine/ct-curve/curve-service.ts';
import { loadLayeredEncoder } from '../../../src-engine/layered/layered-model.ts';
import { writeNoisePng } from './noise-images.ts';
import { repoRoot } from './repo-paths.ts';

export const tinyModelsDir = path.join(repoRoot, 'tests', 'fixtures', 'layered');
export const TINY_ENCODER = 'tiny-vit';
/** Small enough for the tiny sets: 4 cells, 3 restarts. */
export const TINY_CT = { cells: 4, restarts: 3 };

/** `count` noise PNGs (sizes and seeds vary) in `dir`. */
export async function writeNoiseImages(dir: string, count: number, seed: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  return Promise.all(Array.from({ length: count }, (_, i) => writeNoisePng(dir, `${String(i).padStart(3, '0')}.png`, 24 + (i % 5) * 3, 20 + (i % 3) * 4, seed + i)));
}

/** A reference set (T 40, P 16 images) for the tiny ViT, written into `<dir>/ct-reference`. */
export async function buildTinyReference(dir: string): Promise<string> {
  const out = path.join(dir, 'ct-reference');
  await writeNoiseImages(path.join(dir, 'T'), 40, 1000);
  await writeNoiseImages(path.join(dir, 'P'), 16, 2000);
  await buildReferenceSet({ encoder: loadLayeredEncoder(tinyModelsDir, TINY_ENCODER), T: path.join(dir, 'T'), P: path.join(dir, 'P'), out, description: 'noise images', log: () => {} });
  return out;
}

export function tinyCurveService(referenceDir: string): CurveService {
  return new CurveService({ modelsDir: tinyModelsDir, referenceDir, encoderName: TINY_ENCODER, providers: ['cpu'], ct: TINY_CT, workers: 2 });
}
