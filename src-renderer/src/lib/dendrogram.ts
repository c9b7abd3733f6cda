// Geometry of a dendrogram from a scipy-style linkage: leaves 0..n-1 are the models, merge i
// creates node n+i joining nodes a and b at height `distance`. Leaves sit one unit apart in the
// given leaf order; every merge is drawn as a bracket from its two children up to its height.

export interface LinkageStep {
  a: number;
  b: number;
  distance: number;
  size: number;
}

export interface Bracket {
  /** Height (distance) of each of the bracket's 4 corners, and their leaf-axis positions. */
  heights: [number, number, number, number];
  positions: [number, number, number, number];
  /** The single family of every leaf below, or null when the merge joins different families. */
  family: string | null;
}

export interface Dendrogram {
  brackets: Bracket[];
  /** Leaf-axis position of each model (index as in the models list). */
  leafPosition: number[];
  /** Model indices in drawing order (position 0 first). */
  order: number[];
}

/** Leaves left to right by walking the tree, for when no usable leaf order is given. */
function treeOrder(n: number, linkage: readonly LinkageStep[]): number[] {
  if (linkage.length === 0) return Array.from({ length: n }, (_, i) => i);
  const walk = (node: number): number[] => {
    if (node < n) return [node];
    const step = linkage[node - n];
    return step ? [...walk(step.a), ...walk(step.b)] : [];
  };
  return walk(n + linkage.length - 1);
}

function isPermutation(order: readonly number[], n: number): boolean {
  return order.length === n && new Set(order).size === n && order.every((i) => Number.isInteger(i) && i >= 0 && i < n);
}

export function dendrogram(families: readonly string[], linkage: readonly LinkageStep[], leafOrder: readonly number[]): Dendrogram {
  const n = families.length;
  const order = isPermutation(leafOrder, n) ? [...leafOrder] : treeOrder(n, linkage);
  const leafPosition = new Array<number>(n).fill(0);
  order.forEach((leaf, position) => (leafPosition[leaf] = position));

  const position: number[] = [...leafPosition];
  const height: number[] = new Array<number>(n).fill(0);
  const family: Array<string | null> = [...families];
  const brackets: Bracket[] = [];
  linkage.forEach((step, i) => {
    const node = n + i;
    const [pa, pb, ha, hb] = [position[step.a] ?? 0, position[step.b] ?? 0, height[step.a] ?? 0, height[step.b] ?? 0];
    position[node] = (pa + pb) / 2;
    height[node] = step.distance;
    const fa = family[step.a] ?? null;
    family[node] = fa !== null && fa === family[step.b] ? fa : null;
    brackets.push({ heights: [ha, step.distance, step.distance, hb], positions: [pa, pa, pb, pb], family: family[node] ?? null });
  });
  return { brackets, leafPosition, order };
}
