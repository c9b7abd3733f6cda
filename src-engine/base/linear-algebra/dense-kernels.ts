// The dense linear algebra of C_T as tiny onnxruntime graphs (built by onnx-graph.ts): T of
// 10,000 rows x 768 dimensions costs ~6 billion multiply-adds for its covariance alone, which
// scalar JS does in tens of seconds and onnxruntime's MLAS kernels (SIMD, every core) in a
// fraction of one. The graphs compute in float32, as the paper's numpy / scikit-learn code does
// on float32 embeddings; where float32 is not enough, the callers finish in float64: the
// nearest-neighbour graphs only pick candidates whose distances are then measured exactly, and
// PCA's variances are exact whenever they can be (pca.ts).
//
// onnxruntime-node runs a graph synchronously on the calling thread: call these from a worker
// (the curve worker) when the thread also serves an interactive caller.
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import type { Matrix } from './matrix.ts';
import { ELEMENT_TYPE, encodeModel, type GraphSpec } from './onnx-graph.ts';

/** Most elements of one product block (query rows x reference rows): bounds memory to 32 MB. */
const BLOCK_ELEMENTS = 8 * 1024 * 1024;

type GraphName = 'scatter' | 'matmul' | 'centredProduct' | 'nearestInGroups' | 'largestAbsDot' | 'smallestPartialDistance';

const GRAPHS: Record<GraphName, GraphSpec> = {
  /**
   * Column means of x [n,d] and the scatter (x - mean)ᵀ (x - mean) in blocks: with the columns
   * split in halves [A B] (split = [h, d - h]), AᵀA, AᵀB and BᵀB are 3/4 of the full product.
   */
  scatter: {
    name: 'scatter',
    inputs: [
      { name: 'x', type: 'float', shape: ['n', 'd'] },
      { name: 'split', type: 'int64', shape: [2] },
    ],
    outputs: [
      { name: 'mean', type: 'float', shape: [1, 'd'] },
      { name: 'aa', type: 'float', shape: ['h', 'h'] },
      { name: 'ab', type: 'float', shape: ['h', 'g'] },
      { name: 'bb', type: 'float', shape: ['g', 'g'] },
    ],
    nodes: [
      { op: 'ReduceMean', inputs: ['x'], outputs: ['mean'], attributes: { axes: [0], keepdims: 1 } },
      { op: 'Sub', inputs: ['x', 'mean'], outputs: ['xc'] },
      { op: 'Split', inputs: ['xc', 'split'], outputs: ['a', 'b'], attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['a', 'a'], outputs: ['aa'], attributes: { transA: 1 } },
      { op: 'Gemm', inputs: ['a', 'b'], outputs: ['ab'], attributes: { transA: 1 } },
      { op: 'Gemm', inputs: ['b', 'b'], outputs: ['bb'], attributes: { transA: 1 } },
    ],
  },
  /** a [m,k] x b [k,n]. */
  matmul: {
    name: 'matmul',
    inputs: [
      { name: 'a', type: 'float', shape: ['m', 'k'] },
      { name: 'b', type: 'float', shape: ['k', 'n'] },
    ],
    outputs: [{ name: 'product', type: 'float', shape: ['m', 'n'] }],
    nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['product'] }],
  },
  /** (x - mean) w for x [n,d], mean [1,d], w [d,k], and its Gram matrix [k,k]. */
  centredProduct: {
    name: 'centred_product',
    inputs: [
      { name: 'x', type: 'float', shape: ['n', 'd'] },
      { name: 'mean', type: 'float', shape: [1, 'd'] },
      { name: 'w', type: 'float', shape: ['d', 'k'] },
    ],
    outputs: [
      { name: 'product', type: 'float', shape: ['n', 'k'] },
      { name: 'gram', type: 'float', shape: ['k', 'k'] },
    ],
    nodes: [
      { op: 'Sub', inputs: ['x', 'mean'], outputs: ['xc'] },
      { op: 'MatMul', inputs: ['xc', 'w'], outputs: ['product'] },
      { op: 'Gemm', inputs: ['product', 'product'], outputs: ['gram'], attributes: { transA: 1 } },
    ],
  },
  /**
   * Nearest centre per group of centres: x [n,d+1] rows with a trailing 1, c [g*k,d+1] centres as
   * [-2c, ||c||²], so x·c = ||x - c||² - ||x||²; shape = [n, g, k]. Per row and group, the index
   * of the nearest centre and that score (add ||x||² for the squared distance).
   */
  nearestInGroups: {
    name: 'nearest_in_groups',
    inputs: [
      { name: 'x', type: 'float', shape: ['n', 'd'] },
      { name: 'c', type: 'float', shape: ['gk', 'd'] },
      { name: 'shape', type: 'int64', shape: [3] },
    ],
    outputs: [
      { name: 'label', type: 'int32', shape: ['n', 'g'] },
      { name: 'score', type: 'float', shape: ['n', 'g'] },
    ],
    nodes: [
      { op: 'Gemm', inputs: ['x', 'c'], outputs: ['flat'], attributes: { transB: 1 } },
      { op: 'Reshape', inputs: ['flat', 'shape'], outputs: ['grouped'] },
      { op: 'ArgMin', inputs: ['grouped'], outputs: ['label64'], attributes: { axis: 2, keepdims: 0 } },
      { op: 'Cast', inputs: ['label64'], outputs: ['label'], attributes: { to: ELEMENT_TYPE.int32 } },
      { op: 'ReduceMin', inputs: ['grouped'], outputs: ['score'], attributes: { axes: [2], keepdims: 0 } },
    ],
  },
  /** The `top` reference rows r [n,k] of largest |q·r| for each query q [m,k] (unit rows: |cos|). */
  largestAbsDot: {
    name: 'largest_abs_dot',
    inputs: [
      { name: 'q', type: 'float', shape: ['m', 'k'] },
      { name: 'r', type: 'float', shape: ['n', 'k'] },
      { name: 'top', type: 'int64', shape: [1] },
    ],
    outputs: [{ name: 'index', type: 'int32', shape: ['m', 't'] }],
    nodes: [
      { op: 'Gemm', inputs: ['q', 'r'], outputs: ['dot'], attributes: { transB: 1 } },
      { op: 'Abs', inputs: ['dot'], outputs: ['abs'] },
      { op: 'TopK', inputs: ['abs', 'top'], outputs: ['value', 'index64'], attributes: { axis: 1, largest: 1 } },
      { op: 'Cast', inputs: ['index64'], outputs: ['index'], attributes: { to: ELEMENT_TYPE.int32 } },
    ],
  },
  /** The `top` reference rows r [n,k] of smallest ||r||² - 2 q·r (rr = ||r||²): the nearest in Euclidean distance. */
  smallestPartialDistance: {
    name: 'smallest_partial_distance',
    inputs: [
      { name: 'q', type: 'float', shape: ['m', 'k'] },
      { name: 'r', type: 'float', shape: ['n', 'k'] },
      { name: 'rr', type: 'float', shape: [1, 'n'] },
      { name: 'top', type: 'int64', shape: [1] },
    ],
    outputs: [{ name: 'index', type: 'int32', shape: ['m', 't'] }],
    nodes: [
      { op: 'Gemm', inputs: ['q', 'r'], outputs: ['dot'], attributes: { transB: 1 } },
      { op: 'Sub', inputs: ['rr', 'dot'], outputs: ['once'] },
      { op: 'Sub', inputs: ['once', 'dot'], outputs: ['partial'] },
      { op: 'TopK', inputs: ['partial', 'top'], outputs: ['value', 'index64'], attributes: { axis: 1, largest: 0 } },
      { op: 'Cast', inputs: ['index64'], outputs: ['index'], attributes: { to: ELEMENT_TYPE.int32 } },
    ],
  },
};
type Output = Float32Array | Int32Array;

const floats = (data: ArrayLike<number>): Float32Array => (data instanceof Float32Array ? data : Float32Array.from(data));

export class DenseKernels {
  private readonly sessions = new Map<GraphName, Promise<ort.InferenceSession>>();
  private readonly threads: number;

  /** `threads`: onnxruntime's intra-op threads (default: every core). */
  constructor(threads: number = os.availableParallelism()) {
    this.threads = threads;
  }

  private session(name: GraphName): Promise<ort.InferenceSession> {
    let session = this.sessions.get(name);
    if (!session) {
      session = ort.InferenceSession.create(encodeModel(GRAPHS[name]), {
        executionProviders: ['cpu'],
        intraOpNumThreads: this.threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        // Calls alternate with JS work: idle pool threads should sleep, not spin on the cores the JS needs.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
      this.sessions.set(name, session);
    }
    return session;
  }

  private async run(name: GraphName, feeds: Record<string, ort.Tensor>): Promise<Record<string, Output>> {
    const result = await (await this.session(name)).run(feeds);
    return Object.fromEntries(Object.entries(result).map(([key, tensor]) => [key, tensor.data as Output]));
  }

  /** Column means of x and the scatter (x - mean)ᵀ (x - mean) (d x d, row-major). Needs d >= 2. */
  async meanAndScatter(x: Matrix): Promise<{ mean: Float32Array; scatter: Float32Array }> {
    const d = x.cols;
    const h = Math.ceil(d / 2);
    const out = await this.run('scatter', { x: tensor(x), split: new ort.Tensor('int64', BigInt64Array.of(BigInt(h), BigInt(d - h)), [2]) });
    const [aa, ab, bb] = [out.aa, out.ab, out.bb] as Float32Array[];
    const g = d - h;
    const scatter = new Float32Array(d * d);
    for (let i = 0; i < h; i++) {
      scatter.set(aa!.subarray(i * h, (i + 1) * h), i * d);
      scatter.set(ab!.subarray(i * g, (i + 1) * g), i * d + h);
      for (let j = 0; j < g; j++) scatter[(h + j) * d + i] = ab![i * g + j]!;
    }
    for (let j = 0; j < g; j++) scatter.set(bb!.subarray(j * g, (j + 1) * g), (h + j) * d + h);
    return { mean: out.mean as Float32Array, scatter };
  }

  /** a (m x k) times b (k x n), row-major. */
  async matmul(a: ArrayLike<number>, m: number, k: number, b: ArrayLike<number>, n: number): Promise<Float32Array> {
    const out = await this.run('matmul', { a: new ort.Tensor('float32', floats(a), [m, k]), b: new ort.Tensor('float32', floats(b), [k, n]) });
    return out.product as Float32Array;
  }

  /** (x - mean) w (n x k) and its Gram matrix ((x - mean) w)ᵀ ((x - mean) w) (k x k). */
  async centredProduct(x: Matrix, mean: ArrayLike<number>, w: ArrayLike<number>, k: number): Promise<{ product: Float32Array; gram: Float32Array }> {
    const out = await this.run('centredProduct', {
      x: tensor(x),
      mean: new ort.Tensor('float32', floats(mean), [1, x.cols]),
      w: new ort.Tensor('float32', floats(w), [x.cols, k]),
    });
    return { product: out.product as Float32Array, gram: out.gram as Float32Array };
  }

  /**
   * For rows x (n x d+1, last column 1) and `groups` groups of k centres each given as
   * [-2c, ||c||²] rows: per row and group the nearest centre's index within its group and its
   * score ||x - c||² - ||x||², both n x groups, row-major.
   */
  async nearestInGroups(x: Matrix, centres: Float32Array, groups: number, k: number): Promise<{ labels: Int32Array; scores: Float32Array }> {
    const out = await this.run('nearestInGroups', {
      x: tensor(x),
      c: new ort.Tensor('float32', centres, [groups * k, x.cols]),
      shape: new ort.Tensor('int64', BigInt64Array.of(BigInt(x.rows), BigInt(groups), BigInt(k)), [3]),
    });
    return { labels: out.label as Int32Array, scores: out.score as Float32Array };
  }

  /**
   * For every query row, the indices of the `top` reference rows that score best: largest |q·r|
   * (`largest-abs-dot`) or smallest ||r||² - 2 q·r (`smallest-partial-distance`, with
   * `referenceSquaredNorms`). Queries go in blocks, so the m x n scores never all sit in memory.
   */
  async bestCandidates(
    kind: 'largest-abs-dot' | 'smallest-partial-distance',
    queries: Matrix,
    reference: Matrix,
    top: number,
    referenceSquaredNorms?: Float32Array,
  ): Promise<Int32Array> {
    const { rows: m, cols } = queries;
    const n = reference.rows;
    const t = Math.min(top, n);
    const candidates = new Int32Array(m * t);
    const block = Math.max(1, Math.floor(BLOCK_ELEMENTS / Math.max(1, n)));
    const r = tensor(reference);
    const k = new ort.Tensor('int64', BigInt64Array.of(BigInt(t)), [1]);
    for (let start = 0; start < m; start += block) {
      const rows = Math.min(block, m - start);
      const q = new ort.Tensor('float32', queries.data.subarray(start * cols, (start + rows) * cols), [rows, cols]);
      const out =
        kind === 'largest-abs-dot'
          ? await this.run('largestAbsDot', { q, r, top: k })
          : await this.run('smallestPartialDistance', { q, r, rr: new ort.Tensor('float32', referenceSquaredNorms!, [1, n]), top: k });
      candidates.set(out.index as Int32Array, start * t);
    }
    return candidates;
  }

  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) await (await session.catch(() => undefined))?.release();
  }
}

function tensor(x: Matrix): ort.Tensor {
  return new ort.Tensor('float32', x.data, [x.rows, x.cols]);
}
