// Worker thread: decoding and inference run here so the main thread (the Electron main process,
// which also serves every UI call) never waits on them. One extractor per worker.
import { parentPort } from 'node:worker_threads';
import { embedImages, FingerprintExtractor } from './extractor.ts';
import { readWorkerFile } from '../base/read-worker-file.ts';
import { computeSpectra } from './spectra.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('fingerprint-worker.ts runs only as a worker thread');

/** The open extractor; requests sent right after 'open' wait for it. */
let extractor: Promise<FingerprintExtractor> | undefined;
const running = new Map<number, AbortController>();
const send = (message: FromWorker): void => port.postMessage(message);

async function opened(): Promise<FingerprintExtractor> {
  if (!extractor) throw new Error('no model is open in the fingerprint worker');
  return extractor;
}

async function handle(message: Exclude<ToWorker, { type: 'cancel' }>, signal: AbortSignal): Promise<void> {
  switch (message.type) {
    case 'open': {
      const previous = extractor;
      extractor = (async () => {
        await (await previous?.catch(() => undefined))?.close();
        return FingerprintExtractor.open(message.modelPath, message.providers);
      })();
      send({ type: 'opened', id: message.id, facts: (await extractor).facts });
      send({ type: 'done', id: message.id, cancelled: false });
      return;
    }
    case 'embed': {
      const { files, batchCrops } = message;
      const { cancelled } = await embedImages(await opened(), files.length, (i) => readWorkerFile(files[i]!), {
        signal,
        batchCrops,
        onResult: (result) => send({ type: 'embedded', id: message.id, result }),
      });
      send({ type: 'done', id: message.id, cancelled });
      return;
    }
    case 'spectra': {
      const { files } = message;
      const spectra = await computeSpectra(await opened(), files.length, (i) => readWorkerFile(files[i]!), {
        signal,
        describe: (i) => files[i]!.label ?? files[i]!.path,
      });
      send({ type: 'spectra', id: message.id, spectra });
      send({ type: 'done', id: message.id, cancelled: false });
    }
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  handle(message, controller.signal)
    .catch((error: unknown) => {
      if (controller.signal.aborted) send({ type: 'done', id: message.id, cancelled: true });
      else send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
    })
    .finally(() => running.delete(message.id));
});
