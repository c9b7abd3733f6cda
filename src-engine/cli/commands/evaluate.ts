import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CurveService } from '../../ct-curve/curve-service.ts';
import { openAttributionResources } from '../../evaluation/attribution-resources.ts';
import { evaluateCurveMatching, formatCurveMatching } from '../../evaluation/curve-matching.ts';
import { evaluateFolder } from '../../evaluation/evaluate-folder.ts';
import { formatEvaluation } from '../../evaluation/evaluation-summary.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { type Interruptible, runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';
import { parseConditions } from '../conditions-option.ts';
import { CONDITION_IDS } from '../../conditions/transform.ts';

const USAGE =
  'usage: modelprint evaluate <folder of folders, one per generator> [--json] [--out FILE] [--seed N]\n' +
  '         [--unknown K|FRACTION] [--save-embeddings FILE.npy | --embeddings FILE.npy]\n' +
  '         [--conditions as-published,jpeg-q90,jpeg-q75,webp-q80,downscale-0.5 | --no-conditions] [--work DIR]\n' +
  '       modelprint evaluate <folder of folders> --curves [--json] [--out FILE]   (C_T curve matching: first half of each\n' +
  '         generator\'s images = known curve, second half = query curve)';

/** --unknown: a whole number of generators (>= 1) or a fraction in (0, 1). */
function parseUnknown(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(value > 0) || (value >= 1 && !Number.isSafeInteger(value))) {
    throw new UsageError(`--unknown must be a number of generators (1, 2, ...) or a fraction between 0 and 1, not "${text}"`);
  }
  return value;
}

/**
 * `evaluate <dir> [--out FILE] [--seed N] [--unknown K] [--save-embeddings FILE.npy | --embeddings FILE.npy]`: the
 * paper's protocols and the attribution figures on a folder of folders (one per generator); the embedding cache lets a
 * re-run skip fingerprinting.
 */
export const evaluateCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      seed: { type: 'string', default: '0' },
      'save-embeddings': { type: 'string' },
      embeddings: { type: 'string' },
      unknown: { type: 'string' },
      curves: { type: 'boolean', default: false },
      conditions: { type: 'string', default: CONDITION_IDS.join(',') },
      'no-conditions': { type: 'boolean', default: false },
      work: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) throw new UsageError(USAGE);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not "${values.seed}"`);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const cacheIn = values.embeddings;
  const cacheOut = values['save-embeddings'];
  if (cacheIn && cacheOut) throw new UsageError(`--embeddings and --save-embeddings together would only copy the cache\n${USAGE}`);
  if (cacheIn && !fs.statSync(`${cacheIn}.json`, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${cacheIn}.json (the cache's index) does not exist`);
  if (cacheOut && !cacheOut.endsWith('.npy')) throw new UsageError(`--save-embeddings needs a FILE.npy, not "${cacheOut}"`);
  if (values.curves) {
    if (cacheIn || cacheOut || values.unknown !== undefined) throw new UsageError(`--curves takes only --json and --out\n${USAGE}`);
    return evaluateCurves(ctx, path.resolve(dir), values.out);
  }
  const unknown = parseUnknown(values.unknown);
  const conditions = values['no-conditions'] ? undefined : parseConditions(values.conditions);

  const service = new FingerprintService();
  const resources = await openAttributionResources(service.model());
  try {
    return await runEvaluation(
      ctx,
      values.out,
      ({ signal, progress }) =>
        evaluateFolder(path.resolve(dir), service, {
          seed,
          signal,
          cacheIn,
          cacheOut,
          resources,
          unknown,
          conditions,
          workDir: values.work,
          onConditionProgress: progress,
          onProgress: (done, total) => progress(`fingerprinted ${done}/${total}`),
        }),
      formatEvaluation,
    );
  } finally {
    await Promise.all([service.close(), resources.setEncoder?.close()]);
  }
};

/** `evaluate <dir> --curves`: C_T curve matching (curve-matching.ts), with the installed layered encoder and reference set. */
async function evaluateCurves(ctx: Parameters<Command>[0], dir: string, out: string | undefined): Promise<number> {
  const service = new CurveService();
  try {
    return await runEvaluation(
      ctx,
      out,
      ({ signal, progress }) => evaluateCurveMatching(dir, service, { signal, onProgress: (done, total) => progress(`embedded ${done}/${total}`) }),
      formatCurveMatching,
    );
  } finally {
    await service.close();
  }
}

/**
 * Runs one evaluation with Ctrl-C as cancel, writes its report to `out` and prints it (JSON, or as
 * `format` words it); exits partial when some images could not be read.
 */
async function runEvaluation<R extends { unreadable: readonly unknown[] }>(
  ctx: Parameters<Command>[0],
  out: string | undefined,
  evaluate: (run: Interruptible) => Promise<R>,
  format: (report: R) => string,
): Promise<number> {
  let cancelled = false;
  try {
    const report = await runInterruptible(ctx.json, async (run) => {
      try {
        return await evaluate(run);
      } catch (error) {
        cancelled = run.signal.aborted;
        throw error;
      }
    });
    if (out) fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    if (ctx.json) ctx.emitJson(report);
    else ctx.print(format(report));
    return report.unreadable.length > 0 ? ExitCode.partial : ExitCode.ok;
  } catch (error) {
    if (!cancelled) throw error;
    process.stderr.write('evaluation cancelled\n');
    return ExitCode.cancelled;
  }
}
