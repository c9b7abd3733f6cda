import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateFolder } from '../../evaluation/evaluate-folder.ts';
import { formatEvaluation } from '../../evaluation/evaluation-summary.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';

/** `evaluate <dir> [--out FILE] [--seed N]`: the paper's protocols on a folder of folders (one per generator). */
export const evaluateCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, seed: { type: 'string', default: '0' } },
    allowPositionals: true,
    strict: true,
  });
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) throw new UsageError('usage: modelprint evaluate <folder of folders, one per generator> [--json] [--out FILE] [--seed N]');
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, not "${values.seed}"`);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder`);

  const service = new FingerprintService();
  let cancelled = false;
  try {
    const report = await runInterruptible(ctx.json, async ({ signal, progress }) => {
      try {
        return await evaluateFolder(path.resolve(dir), service, { seed, signal, onProgress: (done, total) => progress(`fingerprinted ${done}/${total}`) });
      } catch (error) {
        cancelled = signal.aborted;
        throw error;
      }
    });
    if (values.out) fs.writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
    if (ctx.json) ctx.emitJson(report);
    else ctx.print(formatEvaluation(report));
    return report.unreadable.length > 0 ? ExitCode.partial : ExitCode.ok;
  } catch (error) {
    if (!cancelled) throw error;
    process.stderr.write('evaluation cancelled\n');
    return ExitCode.cancelled;
  } finally {
    await service.close();
  }
};
