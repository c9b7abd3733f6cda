// `modelprint calibrate <folder of folders> --out FILE`: fits the score-to-LR calibration set
// (single images; mean and DeepSets bags of 5, 10, 50) on generators used nowhere else, with the
// installed extractor and set encoder. The bundled file is resources/calibration/<extractor>.calibration.json.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { calibrateFolder, DEFAULT_PROTOCOL } from '../../calibration/calibrate-folder.ts';
import { CONDITION_IDS } from '../../conditions/transform.ts';
import { writeCalibrationSet } from '../../calibration/calibration-set.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import { parseConditions } from '../conditions-option.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';

const USAGE =
  'usage: modelprint calibrate <calibration generators: a folder of folders, one per generator> --validation <validation generators> --out FILE\n' +
  '         [--seed N] [--conditions as-published,jpeg-q90,...] [--work DIR]';

export const calibrateCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_PROTOCOL.seed) },
      validation: { type: 'string' },
      conditions: { type: 'string', default: CONDITION_IDS.join(',') },
      work: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0 || !values.out) throw new UsageError(USAGE);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  if (values.validation !== undefined && !fs.statSync(values.validation, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${values.validation} is not a folder`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not "${values.seed}"`);
  const conditions = parseConditions(values.conditions);

  const service = new FingerprintService();
  let cancelled = false;
  try {
    const set = await runInterruptible(ctx.json, async ({ signal, progress }) => {
      try {
        return await calibrateFolder(path.resolve(dir), service, {
          folds: DEFAULT_PROTOCOL.folds,
          seed,
          conditions,
          validationDir: values.validation ? path.resolve(values.validation) : null,
          workDir: values.work,
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
    ctx.print(`  relevant population: ${set.population.description}`);
    ctx.print(`  validated on: ${set.validationPopulation?.description ?? 'nothing (every decision will be inconclusive)'}`);
    ctx.print('  pooling  bag  refs  compression   same  different | held-out Cllr | validation Cllr  Cllr_min  diff LR>=10  same LR<=1/10  unknowns attributed');
    const pct = (x: number | undefined) => (x === undefined ? '     -' : `${(100 * x).toFixed(1).padStart(5)}%`);
    for (const e of set.entries) {
      const t = e.calibration.training;
      const v = e.validation;
      ctx.print(
        `  ${e.pooling.padEnd(7)} ${String(e.bagSize).padStart(4)} ${String(e.references).padStart(5)}  ${e.compression.padEnd(11)} ${String(t.sameCount).padStart(6)} ${String(t.differentCount).padStart(10)} | ${(e.heldOut?.cllr.toFixed(3) ?? '-').padStart(13)} | ${(v?.cllr.toFixed(3) ?? 'not validated').padStart(15)}  ${(v?.cllrMin.toFixed(3) ?? '').padStart(8)}  ${v ? pct(v.differentAtLeast10) : ''.padStart(6)}       ${v ? pct(v.sameAtMostTenth) : ''.padStart(6)}         ${v?.openSet ? pct(v.openSet.unknownAttributed) : ''}`,
      );
    }
    for (const note of set.notes) ctx.print(`  Note: ${note}`);
    return ExitCode.ok;
  } catch (error) {
    if (!cancelled) throw error;
    process.stderr.write('calibration cancelled: nothing written\n');
    return ExitCode.cancelled;
  } finally {
    await service.close();
  }
};
