// Requests from the engine (main thread) to the fingerprint worker, carried by the generic worker
// RPC (base/rpc-worker.ts): 'open' answers the extractor's facts, 'embed' streams each batch's
// results as progress and answers whether it was cancelled, 'spectra' answers the spectra.
import type { WorkerFile } from '../base/read-worker-file.ts';

export type FingerprintRequest =
  | { type: 'open'; modelPath: string; providers: string[] }
  | { type: 'embed'; files: WorkerFile[]; batchCrops?: number }
  | { type: 'spectra'; files: WorkerFile[] };
