// Worker thread for C_T curves (curve-workers.ts starts one per core, up to a few): the layered
// encoder's inference and the C_T arithmetic run here, so the engine's main thread (which also
// serves every UI call) never waits on them. Each worker keeps the prepared references of the
// layers it was given (PCA, cells and P's distances: a deterministic function of T and P).
import { workerData } from 'node:worker_threads';
import { readWorkerFile, type WorkerFile } from '../base/read-worker-file.ts';
import { embedLayered, LayeredEncoder, type LayeredResult } from '../layered/layered-encoder.ts';
import type { LayeredSidecar } from '../layered/layered-sidecar.ts';
import { type CtOptions, type CtReference, ctAgainstReference, prepareCtReference } from './ct-statistic.ts';
import { DenseKernels } from '../base/linear-algebra/dense-kernels.ts';
import type { Matrix } from '../base/linear-algebra/matrix.ts';
import { serveRequests } from '../base/rpc-worker.ts';

export type CurveRequest =
  | { type: 'open-encoder'; modelPath: string; sidecar: LayeredSidecar; providers: string[] }
  | { type: 'embed'; files: WorkerFile[] }
  | { type: 'prepare'; key: string; layer: number; T: Matrix; P: Matrix; options: CtOptions }
  | { type: 'measure'; key: string; layer: number; Q: Matrix }
  | { type: 'forget'; key: string };

/** Threads for onnxruntime's products in this worker (the pool shares the cores among its workers). */
const kernels = new DenseKernels((workerData as { threads?: number } | undefined)?.threads);
let encoder: Promise<LayeredEncoder> | undefined;
/** Prepared layers by reference key, then layer. */
const references = new Map<string, Map<number, CtReference>>();

serveRequests<CurveRequest>(async (request, signal, progress) => {
  switch (request.type) {
    case 'open-encoder': {
      const previous = encoder;
      encoder = (async () => {
        await (await previous?.catch(() => undefined))?.close();
        return LayeredEncoder.open(request.modelPath, request.sidecar, request.providers);
      })();
      return (await encoder).facts;
    }
    case 'embed': {
      if (!encoder) throw new Error('no layered encoder is open in the curve worker');
      const { files } = request;
      return embedLayered(await encoder, files.length, (i) => readWorkerFile(files[i]!), {
        signal,
        onResult: (result: LayeredResult) => progress(result),
      });
    }
    case 'prepare': {
      const prepared = await prepareCtReference(request.T, request.P, kernels, request.options);
      references.set(request.key, (references.get(request.key) ?? new Map<number, CtReference>()).set(request.layer, prepared));
      return null;
    }
    case 'measure': {
      const prepared = references.get(request.key)?.get(request.layer);
      if (!prepared) throw new Error(`layer ${request.layer} of reference ${request.key} is not prepared in this worker`);
      return ctAgainstReference(prepared, request.Q, kernels);
    }
    case 'forget':
      references.delete(request.key);
      return null;
  }
});
