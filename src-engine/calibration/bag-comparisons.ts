// Pooling a bag of image fingerprints into one vector: by their mean, or by a set encoder.

/** Pools a bag of image embeddings into one vector (mean, or a set encoder). */
export type Pool = (bag: readonly Float32Array[]) => Promise<Float32Array>;

export function meanPool(bag: readonly Float32Array[]): Float32Array {
  const first = bag[0];
  if (!first) throw new Error('cannot pool an empty bag');
  const mean = new Float32Array(first.length);
  for (const embedding of bag) for (let d = 0; d < mean.length; d++) mean[d]! += embedding[d]! / bag.length;
  return mean;
}
