// The curve workers, from the main thread: the layered encoder runs in the first worker (its
// inference uses every core by itself); C_T's layers are independent, so layer i is prepared and
// measured in worker i mod N and the layers of a curve are computed in parallel. A worker that
// dies takes its prepared layers with it: the pool is then restarted and every reference must be
// prepared again (isPrepared says so).
import os from 'node:os';
import type { WorkerFile } from '../base/read-worker-file.ts';
import type { LayeredFacts, LayeredResult } from '../layered/layered-encoder.ts';
import type { LayeredSidecar } from '../layered/layered-sidecar.ts';
import type { CtOptions, CtResult } from './ct-statistic.ts';
import type { CurveRequest } from './curve-worker.ts';
import type { Matrix } from '../base/linear-algebra/matrix.ts';
import { locateWorkerScript, RpcWorker } from '../base/rpc-worker.ts';

/** More workers than this cost memory (a session and prepared layers each) for little gain. */
const MAX_WORKERS = 4;

/**
 * The worker's script: the .ts source next to this file when running from source, the bundled
 * curve-worker.js when electron-vite has built it into out/main (an entry of its own).
 */
const workerScript = (): string => locateWorkerScript(import.meta.url, 'curve-worker', 'curve worker');

export class CurveWorkers {
  private readonly count: number;
  private workers: RpcWorker[] = [];
  private readonly prepared = new Set<string>();
  private starts = 0;

  constructor(count: number = Math.min(os.availableParallelism(), MAX_WORKERS)) {
    this.count = Math.max(1, count);
  }

  /** The running workers, restarted (forgetting every prepared reference) if any has died. */
  private pool(): RpcWorker[] {
    if (this.workers.length === 0 || this.workers.some((w) => !w.alive)) {
      for (const worker of this.workers) void worker.close();
      this.prepared.clear();
      const script = workerScript();
      const threads = Math.max(1, Math.floor(os.availableParallelism() / this.count));
      this.workers = Array.from({ length: this.count }, () => new RpcWorker(script, 'curve worker', { threads }));
      this.starts++;
    }
    return this.workers;
  }

  /** Counts (re)starts of the pool, starting it if needed: an encoder opened in an earlier generation is gone. */
  get generation(): number {
    this.pool();
    return this.starts;
  }

  private call<T, P = never>(worker: number, request: CurveRequest, options: { signal?: AbortSignal; onProgress?: (progress: P) => void } = {}): Promise<T> {
    return this.pool()[worker]!.call<T, P>(request, options);
  }

  /** Opens (or replaces) the layered encoder in the first worker; the facts say what it is. */
  openEncoder(modelPath: string, sidecar: LayeredSidecar, providers: string[]): Promise<LayeredFacts> {
    return this.call<LayeredFacts>(0, { type: 'open-encoder', modelPath, sidecar, providers });
  }

  /** Per-layer embeddings of files (each L x D, layer after layer), streamed through onResult in order. */
  embed(files: WorkerFile[], options: { signal?: AbortSignal; onResult: (result: LayeredResult) => void }): Promise<{ cancelled: boolean }> {
    return this.call<{ cancelled: boolean }, LayeredResult>(0, { type: 'embed', files }, { signal: options.signal, onProgress: options.onResult });
  }

  isPrepared(key: string): boolean {
    return this.prepared.has(key) && this.workers.every((w) => w.alive);
  }

  /** Prepares every layer's reference (T and P of that layer) under `key`, layers in parallel. */
  async prepare(key: string, layers: ReadonlyArray<{ T: Matrix; P: Matrix }>, options: CtOptions): Promise<void> {
    this.prepared.delete(key);
    await Promise.all(layers.map(({ T, P }, layer) => this.call(layer % this.count, { type: 'prepare', key, layer, T, P, options })));
    this.prepared.add(key);
  }

  /** C_T of Q (one matrix per layer, in the embedding space) against the prepared reference `key`. */
  measure(key: string, layers: readonly Matrix[]): Promise<CtResult[]> {
    if (!this.isPrepared(key)) return Promise.reject(new Error(`reference ${key} is not prepared`));
    return Promise.all(layers.map((Q, layer) => this.call<CtResult>(layer % this.count, { type: 'measure', key, layer, Q })));
  }

  /** Drops a reference's prepared layers (a replaced reference set). */
  async forget(key: string): Promise<void> {
    if (!this.prepared.delete(key)) return;
    await Promise.all(this.workers.map((_, worker) => this.call(worker, { type: 'forget', key })));
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.prepared.clear();
    await Promise.all(workers.map((w) => w.close()));
  }
}
