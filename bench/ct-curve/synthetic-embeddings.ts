// Synthetic layer embeddings with the structure C_T is made for, seeded: a few directions of
// large, decaying variance around 20 cluster centres plus isotropic noise (as ViT CLS tokens
// look: a low-dimensional signal in a wide space). P and the fresh half of Q come from the same
// generator as T; the other half of Q are near-copies of T rows (data copying, z << 0).
import { type Matrix } from '../../src-engine/base/linear-algebra/matrix.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';

const CLUSTERS = 20;
const SIGNAL_DIRECTIONS = 24;

export interface LayerSets {
  T: Matrix;
  P: Matrix;
  Q: Matrix;
}

export function syntheticLayer(layer: number, sizes: { t: number; p: number; q: number; dim: number }, seed = 20_260_501): LayerSets {
  const random = mulberry32(seed + 7919 * layer);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const { dim } = sizes;
  const centres = Float32Array.from({ length: CLUSTERS * dim }, () => 2 * normal());
  // Later layers are more separated, as deeper blocks are more semantic.
  const spread = 1 + layer / 4;
  const directions = Float32Array.from({ length: SIGNAL_DIRECTIONS * dim }, () => normal() / Math.sqrt(dim));
  const sample = (out: Float32Array, row: number): void => {
    const base = row * dim;
    const cluster = Math.floor(random() * CLUSTERS);
    for (let c = 0; c < dim; c++) out[base + c] = spread * centres[cluster * dim + c]! + 0.3 * (random() + random() + random() - 1.5);
    for (let j = 0; j < SIGNAL_DIRECTIONS; j++) {
      const amount = (4 * normal()) / (1 + j);
      for (let c = 0; c < dim; c++) out[base + c]! += amount * directions[j * dim + c]!;
    }
  };
  const matrix = (rows: number, fill: (data: Float32Array, row: number) => void): Matrix => {
    const data = new Float32Array(rows * dim);
    for (let r = 0; r < rows; r++) fill(data, r);
    return { rows, cols: dim, data };
  };
  const T = matrix(sizes.t, sample);
  const P = matrix(sizes.p, sample);
  const Q = matrix(sizes.q, (data, row) => {
    if (row % 2 === 1) return sample(data, row);
    const source = Math.floor(random() * T.rows) * dim;
    for (let c = 0; c < dim; c++) data[row * dim + c] = T.data[source + c]! + 0.01 * normal();
  });
  return { T, P, Q };
}
