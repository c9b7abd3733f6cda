// Request / answer over a worker thread: each request carries an id; the worker may send progress
// messages for it and ends it with its value or its error; the caller can cancel it. The worker is
// unreferenced while idle, so an idle worker never keeps a CLI process alive. Closing lets the
// worker wind down by itself: a native add-on (sharp, onnxruntime) whose work finishes after its
// thread was terminated throws into a dying environment and aborts the whole process.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';

/**
 * A worker's script, found next to the module at `moduleUrl` that starts it: `<name>.ts` when
 * running from source, `<name>.js` when a bundler has built it as an entry of its own (beside the
 * bundle or one folder up).
 */
export function locateWorkerScript(moduleUrl: string, name: string, what: string): string {
  for (const candidate of [`./${name}.ts`, `./${name}.js`, `../${name}.js`]) {
    const file = fileURLToPath(new URL(candidate, moduleUrl));
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`the ${what} script is missing next to ${fileURLToPath(moduleUrl)}`);
}

type Request = { type: string };
type ToWorker = { id: number; request: Request } | { id: number; cancel: true } | { close: true };
type FromWorker = { id: number; progress: unknown } | { id: number; value: unknown } | { id: number; error: string };

interface Pending {
  onProgress?: (progress: unknown) => void;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface CallOptions<P> {
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
  /** Buffers moved to the worker instead of copied (the caller loses them). */
  transfer?: TransferListItem[];
}

export class RpcWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly name: string;
  private nextId = 1;
  private exited: Error | undefined;

  constructor(script: string, name: string, workerData?: unknown) {
    this.name = name;
    this.worker = new Worker(script, { workerData });
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      if ('progress' in message) pending.onProgress?.(message.progress);
      else if ('value' in message) pending.resolve(message.value);
      else pending.reject(new Error(message.error));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the ${name} stopped (exit code ${code})`)));
  }

  /** False once the worker has died (crashed or closed); start a new one then. */
  get alive(): boolean {
    return this.exited === undefined;
  }

  private failAll(error: Error): void {
    this.exited ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  call<T, P = never>(request: Request, options: CallOptions<P> = {}): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<T>((resolve, reject) => {
      const cancel = (): void => this.worker.postMessage({ id, cancel: true } satisfies ToWorker);
      const finish = (): void => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', cancel);
        if (this.pending.size === 0) this.worker.unref();
      };
      this.pending.set(id, {
        onProgress: options.onProgress as ((progress: unknown) => void) | undefined,
        resolve: (value) => {
          finish();
          resolve(value as T);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      });
      signal?.addEventListener('abort', cancel, { once: true });
      this.worker.ref();
      this.worker.postMessage({ id, request } satisfies ToWorker, options.transfer ?? []);
      if (signal?.aborted) cancel();
    });
  }

  /**
   * Cancels what runs, lets the worker's native work finish and its thread end on its own, and
   * terminates it only if it has not ended within `graceMs`.
   */
  async close(graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.exited = new Error(`the ${this.name} was closed`);
    const ended = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ close: true } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const outcome = await Promise.race([ended, late]);
    clearTimeout(timer);
    if (outcome === 'late') await this.worker.terminate();
  }
}

/** The worker side: runs `handle` for each request (several may run at once) and answers it. */
export function serveRequests<R extends Request>(handle: (request: R, signal: AbortSignal, progress: (value: unknown) => void) => Promise<unknown>): void {
  const port = parentPort;
  if (!port) throw new Error('this module serves requests only in a worker thread');
  const running = new Map<number, AbortController>();
  port.on('message', (message: ToWorker) => {
    if ('close' in message) {
      // Closing the port leaves the thread nothing to wait for but work already started: it ends
      // once that has finished.
      for (const controller of running.values()) controller.abort();
      port.close();
      return;
    }
    if ('cancel' in message) {
      running.get(message.id)?.abort();
      return;
    }
    const { id } = message;
    const controller = new AbortController();
    running.set(id, controller);
    handle(message.request as R, controller.signal, (progress) => port.postMessage({ id, progress } satisfies FromWorker))
      .then(
        (value) => port.postMessage({ id, value } satisfies FromWorker),
        (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies FromWorker),
      )
      .finally(() => running.delete(id));
  });
}
