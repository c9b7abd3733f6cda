// `modelprint calibrate <folder of folders> --out FILE`: fits the score-to-LR calibration set
// (single images; mean and DeepSets bags of 5, 10, 50) on generators used nowhere else, with the
// installed extractor and set encoder. The bundled file is resources/calibration/<extractor>.calibration.json.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { calibrateFolder, DEFAULT_PROTOCOL } from '../../calibration/calibrate-folder.ts';
import { writeCalibrationSet } from '../../calibration/calibration-set.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import { locateModelsDir } from '../../models/model-registry.ts';
import { SetEncoder, setEncoderPath } from '../../set-fingerprint/set-encoder.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';

const USAGE = 'usage: modelprint calibrate <folder of folders, one per generator> --out FILE [--seed N] [--embeddings FILE.npy | --save-embeddings FILE.npy]';

export const calibrateCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, seed: { type: 'string', default: String(DEFAULT_PROTOCOL.seed) }, embeddings: { type: 'string' }, 'save-embeddings': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0 || !values.out) throw new UsageError(USAGE);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not "${values.seed}"`);
  if (values.embeddings && values['save-embeddings']) throw new UsageError(`--embeddings and --save-embeddings exclude each other\n${USAGE}`);

  const service = new FingerprintService();
  const modelsDir = locateModelsDir();
  const setEncoder = setEncoderPath(modelsDir) === null ? null : await SetEncoder.open(modelsDir);
  let cancelled = false;
  try {
    const set = await runInterruptible(ctx.json, async ({ signal, progress }) => {
      try {
        return await calibrateFolder(path.resolve(dir), service, {
          galleryImages: DEFAULT_PROTOCOL.galleryImages,
          folds: DEFAULT_PROTOCOL.folds,
          seed,
          setEncoder,
          cacheIn: values.embeddings,
          cacheOut: values['save-embeddings'],
          signal,
          onProgress: progress,
        });
      } catch (error) {
        cancelled = signal.aborted;
        throw error;
      }
    });
    writeCalibrationSet(values.out, set);
    if (ctx.json) {
      ctx.emitJson({ file: values.out, ...set });
      return ExitCode.ok;
    }
    ctx.print(`Calibration set ${set.id} written to ${values.out}`);
    ctx.print(`  extractor ${set.extractor.name} ${set.extractor.sha256}`);
    ctx.print(`  set encoder ${set.setEncoder ? `${set.setEncoder.name} ${set.setEncoder.sha256}` : 'none'}`);
    ctx.print(`  data: ${set.data.description} (${set.data.unreadable} unreadable)`);
    ctx.print('  pooling   bag  same  different  held-out Cllr  Cllr_min  same LR<1  different LR>1');
    for (const e of set.entries) {
      const h = e.heldOut;
      const t = e.calibration.training;
      ctx.print(
        `  ${e.pooling.padEnd(9)} ${String(e.bagSize).padStart(3)} ${String(t.sameCount).padStart(5)} ${String(t.differentCount).padStart(10)}  ${h.cllr.toFixed(4).padStart(13)}  ${h.cllrMin.toFixed(4).padStart(8)}  ${(100 * h.sameMisleadingRate).toFixed(2).padStart(8)}%  ${(100 * h.differentMisleadingRate).toFixed(2).padStart(13)}%`,
      );
    }
    for (const note of set.notes) ctx.print(`  Note: ${note}`);
    return ExitCode.ok;
  } catch (error) {
    if (!cancelled) throw error;
    process.stderr.write('calibration cancelled: nothing written\n');
    return ExitCode.cancelled;
  } finally {
    await setEncoder?.close();
    await service.close();
  }
};
