// Messages between the engine (main thread) and the fingerprint worker. Every request carries an
// id; the worker answers with messages carrying the same id, ending with 'done' or 'failed'.
import type { EmbedResult, ExtractorFacts } from './extractor.ts';
import type { Spectra } from './spectra.ts';
import type { WorkerFile } from '../base/read-worker-file.ts';

export type ToWorker =
  | { type: 'open'; id: number; modelPath: string; providers: string[] }
  | { type: 'embed'; id: number; files: WorkerFile[]; batchCrops?: number }
  | { type: 'spectra'; id: number; files: WorkerFile[] }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'opened'; id: number; facts: ExtractorFacts }
  | { type: 'embedded'; id: number; result: EmbedResult }
  | { type: 'spectra'; id: number; spectra: Spectra }
  | { type: 'done'; id: number; cancelled: boolean }
  | { type: 'failed'; id: number; message: string };
