// The main-thread side of the fingerprint worker: typed requests over the generic worker RPC
// (base/rpc-worker.ts), streamed results, cancellation. The worker is unreferenced while idle, so
// an open extractor never keeps a CLI process alive.
import type { EmbedResult, ExtractorFacts } from './extractor.ts';
import type { Spectra } from './spectra.ts';
import type { WorkerFile } from '../base/read-worker-file.ts';
import { locateWorkerScript, RpcWorker, type CallOptions } from '../base/rpc-worker.ts';
import type { FingerprintRequest } from './worker-protocol.ts';

export class FingerprintWorker {
  private readonly worker: RpcWorker;

  constructor() {
    // The .ts source next to this file when running from source, the bundled fingerprint-worker.js
    // when electron-vite has built it into out/main (an entry of its own).
    this.worker = new RpcWorker(locateWorkerScript(import.meta.url, 'fingerprint-worker', 'fingerprint worker'), 'fingerprint worker');
  }

  /** False once the worker has died (crashed or closed); start a new one then. */
  get alive(): boolean {
    return this.worker.alive;
  }

  private call<T, P = never>(request: FingerprintRequest, options?: CallOptions<P>): Promise<T> {
    return this.worker.call<T, P>(request, options);
  }

  open(modelPath: string, providers: string[]): Promise<ExtractorFacts> {
    return this.call<ExtractorFacts>({ type: 'open', modelPath, providers });
  }

  /** Fingerprints files; results arrive in batches, in order, through onResult. */
  embed(files: WorkerFile[], options: { signal?: AbortSignal; batchCrops?: number; onResult: (result: EmbedResult) => void }): Promise<{ cancelled: boolean }> {
    return this.call<{ cancelled: boolean }, EmbedResult>(
      { type: 'embed', files, batchCrops: options.batchCrops },
      { signal: options.signal, onProgress: options.onResult },
    );
  }

  spectra(files: WorkerFile[], signal?: AbortSignal): Promise<Spectra> {
    return this.call<Spectra>({ type: 'spectra', files }, { signal });
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
