// Fingerprint throughput and memory on 1024x1024 PNGs: the engine's extractor against the paper's
// reference pipeline (DnCNN-17 -> |FFT| -> ResNet50, random weights), both through the same
// path (decode -> 3x3 crops -> batched inference -> mean) in the same run. The reference is
// ~60x slower, so it gets fewer images.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BATCH_CROPS } from '../src-engine/fingerprint/extractor.ts';
import { loadModel, locateModelsDir } from '../src-engine/models/model-registry.ts';
import type { Benchmark, Metric } from './benchmark.ts';
import type { FingerprintMeasurement } from './fingerprint/measure-fingerprint.ts';
import { runIsolated } from './isolated.ts';
import { ensureSyntheticPngs } from './synthetic-images.ts';

const OURS_IMAGES = Number(process.env.BENCH_FINGERPRINT_IMAGES ?? 100);
const REFERENCE_IMAGES = Number(process.env.BENCH_REFERENCE_IMAGES ?? 8);
const BATCH_CROPS = Number(process.env.BENCH_FINGERPRINT_BATCH_CROPS ?? DEFAULT_BATCH_CROPS);
const SIZE = 1024;
/** Shared with the intake benchmark: the same generator and cache. */
const cacheRoot = path.join(os.tmpdir(), 'modelprint-bench-cache');
const imageDir = path.join(cacheRoot, `png-${SIZE}-v1`);
/** Bump when export_reference.py changes. */
const referenceModel = path.join(cacheRoot, 'reference-v1', 'reference.onnx');
const PYTHON = '/usr/bin/python3';
const TARGET_RATIO = 10;

/** Exports the reference once into the cache; null (with the reason logged) when it cannot be made here. */
function ensureReferenceModel(log: (line: string) => void): string | null {
  if (fs.existsSync(referenceModel)) return referenceModel;
  if (!fs.existsSync(PYTHON)) {
    log(`reference skipped: ${PYTHON} is missing (it needs Debian's python3-torch and python3-onnx)`);
    return null;
  }
  fs.mkdirSync(path.dirname(referenceModel), { recursive: true });
  log('exporting the reference pipeline to ONNX (once) ...');
  try {
    execFileSync(PYTHON, [path.join(import.meta.dirname, 'reference', 'export_reference.py'), `${referenceModel}.part`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').at(-1);
    log(`reference skipped: the export failed (${stderr ?? (error as Error).message}); is python3-torch installed?`);
    return null;
  }
  fs.renameSync(`${referenceModel}.part`, referenceModel);
  return referenceModel;
}

function measure(model: string, batchCrops: number, files: readonly string[]): Promise<FingerprintMeasurement> {
  return runIsolated<FingerprintMeasurement>(path.join(import.meta.dirname, 'fingerprint', 'measure-fingerprint.ts'), [model, String(batchCrops), ...files]);
}

export const fingerprintBenchmark: Benchmark = {
  name: 'fingerprint',
  description: `whole fingerprint path on ${SIZE}x${SIZE} PNGs (9 crops each): engine extractor vs the paper's reference pipeline`,
  async run(log) {
    const model = loadModel(locateModelsDir());
    const files = await ensureSyntheticPngs(imageDir, Math.max(OURS_IMAGES, REFERENCE_IMAGES), SIZE);
    for (const file of files) fs.readFileSync(file); // warm page cache for both
    log(`measuring the engine (${model.name}, ${OURS_IMAGES} images, batches of ${BATCH_CROPS} crops) ...`);
    const ours = await measure(model.onnxPath, BATCH_CROPS, files.slice(0, OURS_IMAGES));
    const referencePath = ensureReferenceModel(log);
    let reference: FingerprintMeasurement | null = null;
    if (referencePath) {
      log(`measuring the reference (${REFERENCE_IMAGES} images) ...`);
      reference = await measure(referencePath, BATCH_CROPS, files.slice(0, REFERENCE_IMAGES));
    }
    const metrics: Metric[] = [
      { name: 'engine throughput', value: ours.imagesPerSecond, unit: 'images/s' },
      { name: 'engine CPU per image', value: ours.cpuMsPerImage, unit: 'ms' },
      { name: 'engine peak RSS', value: ours.rss.peakMiB, unit: 'MiB' },
    ];
    if (reference) {
      metrics.push(
        { name: 'reference throughput', value: reference.imagesPerSecond, unit: 'images/s' },
        { name: 'reference CPU per image', value: reference.cpuMsPerImage, unit: 'ms' },
        { name: 'reference peak RSS', value: reference.rss.peakMiB, unit: 'MiB' },
        { name: 'engine / reference', value: ours.imagesPerSecond / reference.imagesPerSecond, unit: 'x', target: { op: '>=', value: TARGET_RATIO } },
      );
    }
    return {
      metrics,
      details: {
        size: SIZE,
        cores: os.availableParallelism(),
        gpu: 'none: CPU execution provider only (no GPU on this machine)',
        model: { name: model.name, sha256: model.sha256 },
        ours,
        reference: reference ?? 'skipped',
      },
    };
  },
};
