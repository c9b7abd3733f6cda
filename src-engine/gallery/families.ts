// Families of gallery models: how alike their fingerprints are (the cosine similarity heatmap) and
// how they group (hierarchical clustering, average linkage on 1 - cosine, drawn as a dendrogram).
// The clustering itself is ml-hclust's (mljs); this module only turns its tree into scipy's linkage
// form, so the result can be checked against scipy and drawn the way scipy's dendrogram draws it.
import { agnes, type Cluster } from 'ml-hclust';

/** One merge, as a row of scipy's linkage matrix: ids < n are models, n + i is the cluster made by merge i. */
export interface LinkageStep {
  a: number;
  b: number;
  distance: number;
  size: number;
}

/** The vector scaled to length 1 (a zero vector stays zero), in doubles. */
export function unitVector(e: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < e.length; i++) sum += e[i]! * e[i]!;
  const norm = Math.sqrt(sum) || 1;
  return Float64Array.from(e, (v) => v / norm);
}

/** Cosine similarity of every pair, in the given order (clamped to [-1, 1] against rounding). */
export function cosineSimilarityMatrix(embeddings: readonly ArrayLike<number>[]): number[][] {
  const rows = embeddings.map(unitVector);
  return rows.map((x) =>
    rows.map((y) => {
      let dot = 0;
      for (let d = 0; d < x.length; d++) dot += x[d]! * y[d]!;
      return Math.max(-1, Math.min(1, dot));
    }),
  );
}

/**
 * Average-linkage (UPGMA) clustering of a distance matrix, as scipy.cluster.hierarchy.linkage
 * writes it: merges in order of distance, each row's smaller id first.
 */
export function averageLinkage(distances: readonly (readonly number[])[]): LinkageStep[] {
  const n = distances.length;
  if (n < 2) return [];
  const root = agnes(distances.map((row) => [...row]), { method: 'average', isDistanceMatrix: true });
  const merges: Cluster[] = [];
  root.traverse((cluster) => {
    if (!cluster.isLeaf) merges.push(cluster);
  });
  // By distance (a parent merges no closer than its children, so this is the merge order); equal
  // distances keep children first by size. Emitting children before a parent guards the ids
  // against rounding that puts a parent a hair below a child.
  merges.sort((x, y) => x.height - y.height || x.size - y.size);
  const ids = new Map<Cluster, number>();
  const steps: LinkageStep[] = [];
  const idOf = (cluster: Cluster): number => (cluster.isLeaf ? cluster.index : ids.get(cluster)!);
  const emit = (cluster: Cluster): void => {
    if (cluster.isLeaf || ids.has(cluster)) return;
    cluster.children.forEach(emit);
    const [x, y] = cluster.children.map(idOf) as [number, number];
    ids.set(cluster, n + steps.length);
    steps.push({ a: Math.min(x, y), b: Math.max(x, y), distance: cluster.height, size: cluster.size });
  };
  merges.forEach(emit);
  return steps;
}

/** The dendrogram's leaves left to right (scipy's leaves_list: each merge's first id on the left). */
export function leafOrder(linkage: readonly LinkageStep[], n: number): number[] {
  if (linkage.length === 0) return n === 1 ? [0] : [];
  const order: number[] = [];
  const stack = [n + linkage.length - 1];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id < n) {
      order.push(id);
      continue;
    }
    const step = linkage[id - n]!;
    stack.push(step.b, step.a);
  }
  return order;
}

export interface Families {
  similarity: number[][];
  linkage: LinkageStep[];
  leafOrder: number[];
}

/** Heatmap, dendrogram and leaf order of a set of fingerprints (distance = 1 - cosine). */
export function clusterFingerprints(embeddings: readonly ArrayLike<number>[]): Families {
  const similarity = cosineSimilarityMatrix(embeddings);
  const linkage = averageLinkage(similarity.map((row) => row.map((s) => Math.max(0, 1 - s))));
  return { similarity, linkage, leafOrder: leafOrder(linkage, embeddings.length) };
}
