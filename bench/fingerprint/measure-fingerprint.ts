// Child process: fingerprints images through the engine's worker path (read -> decode -> 3x3 crops
// -> batched inference -> mean embedding) with the given ONNX model. Prints one JSON line.
// Usage: node measure-fingerprint.ts <model.onnx> <batch crops> <image files...>
import { FingerprintWorker } from '../../src-engine/fingerprint/worker-client.ts';
import { startClocks } from '../intake/measurement.ts';
import { RssSampler, type RssReport } from '../rss-sampler.ts';

export interface FingerprintMeasurement {
  images: number;
  seconds: number;
  imagesPerSecond: number;
  cpuMsPerImage: number;
  openSeconds: number;
  provider: string;
  embeddingDim: number;
  batchCrops: number;
  rss: RssReport;
}

const [modelPath, batch, ...files] = process.argv.slice(2);
if (!modelPath || !batch || files.length === 0) throw new Error('usage: measure-fingerprint.ts <model.onnx> <batch crops> <image files...>');
const batchCrops = Number(batch);

const sampler = new RssSampler();
const worker = new FingerprintWorker();
const opening = performance.now();
// CPU only: the benchmark compares models on the same cores (the machine has no GPU anyway).
const facts = await worker.open(modelPath, ['cpu']);
const openSeconds = (performance.now() - opening) / 1000;
const stopClocks = startClocks();
let failed = 0;
await worker.embed(
  files.map((path) => ({ path })),
  { batchCrops, onResult: (result) => void (result.ok || failed++) },
);
const timing = stopClocks(files.length);
const rss = sampler.stop();
await worker.close();
if (failed > 0) throw new Error(`${failed} images failed`);
const result: FingerprintMeasurement = { ...timing, openSeconds, provider: facts.provider, embeddingDim: facts.embeddingDim, batchCrops, rss };
process.stdout.write(`${JSON.stringify(result)}\n`);
