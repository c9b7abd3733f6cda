// Worker thread: decoding and inference run here so the main thread (the Electron main process,
// which also serves every UI call) never waits on them. One extractor per worker.
import { embedImages, FingerprintExtractor } from './extractor.ts';
import { readWorkerFile } from '../base/read-worker-file.ts';
import { serveRequests } from '../base/rpc-worker.ts';
import { computeSpectra } from './spectra.ts';
import type { FingerprintRequest } from './worker-protocol.ts';

/** The open extractor; requests sent right after 'open' wait for it. */
let extractor: Promise<FingerprintExtractor> | undefined;

async function opened(): Promise<FingerprintExtractor> {
  if (!extractor) throw new Error('no model is open in the fingerprint worker');
  return extractor;
}

async function handle(request: FingerprintRequest, signal: AbortSignal, progress: (value: unknown) => void): Promise<unknown> {
  switch (request.type) {
    case 'open': {
      const previous = extractor;
      extractor = (async () => {
        await (await previous?.catch(() => undefined))?.close();
        return FingerprintExtractor.open(request.modelPath, request.providers);
      })();
      return (await extractor).facts;
    }
    case 'embed': {
      const { files, batchCrops } = request;
      try {
        return await embedImages(await opened(), files.length, (i) => readWorkerFile(files[i]!), { signal, batchCrops, onResult: progress });
      } catch (error) {
        if (signal.aborted) return { cancelled: true };
        throw error;
      }
    }
    case 'spectra': {
      const { files } = request;
      try {
        return await computeSpectra(await opened(), files.length, (i) => readWorkerFile(files[i]!), {
          signal,
          describe: (i) => files[i]!.label ?? files[i]!.path,
        });
      } catch (error) {
        if (signal.aborted) throw new Error('the spectra computation was cancelled');
        throw error;
      }
    }
  }
}

serveRequests<FingerprintRequest>(handle);
