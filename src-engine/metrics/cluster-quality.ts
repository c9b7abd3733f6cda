// Cluster quality of embeddings grouped by their true generator, defined as scikit-learn defines
// it: the silhouette with cosine distance (1 - cosine, the similarity every protocol here uses;
// training/evaluate.py does the same), Davies-Bouldin with Euclidean distance (its only metric;
// on L2-normalised embeddings it orders pairs as cosine does).
import { cosine } from './protocols.ts';

type Vectors = readonly Float32Array[];

function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

const cosineDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => 1 - cosine(a, b);

function groups(labels: readonly number[]): Map<number, number[]> {
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const members = byLabel.get(label);
    if (members) members.push(i);
    else byLabel.set(label, [i]);
  });
  return byLabel;
}

/** Silhouette of every sample: (b - a) / max(a, b); 0 for a sample alone in its cluster. */
export function silhouetteSamples(vectors: Vectors, labels: readonly number[]): number[] {
  const byLabel = groups(labels);
  if (byLabel.size < 2) throw new Error('the silhouette needs at least two clusters');
  return vectors.map((v, i) => {
    const own = byLabel.get(labels[i]!)!;
    if (own.length === 1) return 0;
    let a = 0;
    let b = Number.POSITIVE_INFINITY;
    for (const [label, members] of byLabel) {
      const mean = members.reduce((sum, j) => sum + (j === i ? 0 : cosineDistance(v, vectors[j]!)), 0);
      if (label === labels[i]) a = mean / (members.length - 1);
      else b = Math.min(b, mean / members.length);
    }
    return Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
  });
}

export function silhouetteScore(vectors: Vectors, labels: readonly number[]): number {
  const samples = silhouetteSamples(vectors, labels);
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

/** Mean over clusters of the worst ratio (s_i + s_j) / d(c_i, c_j); lower is better. */
export function daviesBouldin(vectors: Vectors, labels: readonly number[]): number {
  const clusters = [...groups(labels).values()].map((members) => {
    const centroid = new Float64Array(vectors[members[0]!]!.length);
    for (const j of members) vectors[j]!.forEach((x, d) => (centroid[d]! += x / members.length));
    const spread = members.reduce((s, j) => s + euclidean(vectors[j]!, centroid), 0) / members.length;
    return { centroid, spread };
  });
  if (clusters.length < 2) throw new Error('the Davies-Bouldin index needs at least two clusters');
  const worst = clusters.map((ci, i) =>
    Math.max(...clusters.filter((_, j) => j !== i).map((cj) => {
      const separation = euclidean(ci.centroid, cj.centroid);
      return separation === 0 ? 0 : (ci.spread + cj.spread) / separation;
    })),
  );
  return worst.reduce((a, b) => a + b, 0) / worst.length;
}
