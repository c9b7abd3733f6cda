// The main-thread side of the fingerprint worker: typed requests, streamed results, cancellation.
// The worker is unreferenced while idle, so an open extractor never keeps a CLI process alive.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EmbedResult, ExtractorFacts } from './extractor.ts';
import type { Spectra } from './spectra.ts';
import type { WorkerFile } from '../base/read-worker-file.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

/**
 * The worker's script: the .ts source next to this file when running from source, the bundled
 * fingerprint-worker.js when electron-vite has built it into out/main (an entry of its own).
 */
function workerScript(): string {
  for (const name of ['./fingerprint-worker.ts', './fingerprint-worker.js', '../fingerprint-worker.js']) {
    const file = fileURLToPath(new URL(name, import.meta.url));
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`the fingerprint worker script is missing next to ${fileURLToPath(import.meta.url)}`);
}

interface Pending {
  onMessage(message: FromWorker): void;
  fail(error: Error): void;
}

/** A request as callers write it: the id is added when it is sent. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<Exclude<ToWorker, { type: 'cancel' }>>;

export class FingerprintWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited: Error | undefined;

  constructor() {
    this.worker = new Worker(workerScript());
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.pending.get(message.id)?.onMessage(message));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the fingerprint worker stopped (exit code ${code})`)));
  }

  /** False once the worker has died (crashed or closed); start a new one then. */
  get alive(): boolean {
    return this.exited === undefined;
  }

  private failAll(error: Error): void {
    this.exited ??= error;
    for (const pending of this.pending.values()) pending.fail(error);
    this.pending.clear();
  }

  /** Sends a request; `onMessage` sees every answer until it settles the returned promise. */
  private request<T>(
    message: Request,
    onMessage: (message: FromWorker, settle: (value: T) => void, fail: (error: Error) => void) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const cancel = (): void => this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
      const finish = (): void => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', cancel);
        if (this.pending.size === 0) this.worker.unref();
      };
      this.pending.set(id, {
        onMessage: (answer) => {
          if (answer.type === 'failed') {
            finish();
            reject(new Error(answer.message));
          } else {
            onMessage(
              answer,
              (value) => {
                finish();
                resolve(value);
              },
              (error) => {
                finish();
                reject(error);
              },
            );
          }
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      });
      signal?.addEventListener('abort', cancel, { once: true });
      this.worker.ref();
      this.worker.postMessage({ ...message, id });
      if (signal?.aborted) cancel();
    });
  }

  open(modelPath: string, providers: string[]): Promise<ExtractorFacts> {
    let facts: ExtractorFacts | undefined;
    return this.request<ExtractorFacts>({ type: 'open', modelPath, providers }, (answer, settle) => {
      if (answer.type === 'opened') facts = answer.facts;
      if (answer.type === 'done') settle(facts!);
    });
  }

  /** Fingerprints files; results arrive in batches, in order, through onResult. */
  embed(files: WorkerFile[], options: { signal?: AbortSignal; batchCrops?: number; onResult: (result: EmbedResult) => void }): Promise<{ cancelled: boolean }> {
    return this.request<{ cancelled: boolean }>(
      { type: 'embed', files, batchCrops: options.batchCrops },
      (answer, settle) => {
        if (answer.type === 'embedded') options.onResult(answer.result);
        if (answer.type === 'done') settle({ cancelled: answer.cancelled });
      },
      options.signal,
    );
  }

  spectra(files: WorkerFile[], signal?: AbortSignal): Promise<Spectra> {
    let spectra: Spectra | undefined;
    return this.request<Spectra>(
      { type: 'spectra', files },
      (answer, settle, fail) => {
        if (answer.type === 'spectra') spectra = answer.spectra;
        if (answer.type === 'done') {
          if (spectra) settle(spectra);
          else fail(new Error('the spectra computation was cancelled'));
        }
      },
      signal,
    );
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.exited = new Error('the fingerprint worker was closed');
    await this.worker.terminate();
  }
}
