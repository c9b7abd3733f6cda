import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateFolder } from '../../evaluation/evaluate-folder.ts';
import { formatEvaluation } from '../../evaluation/evaluation-summary.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { progressReporter } from '../progress-line.ts';
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
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = progressReporter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  try {
    const report = await evaluateFolder(path.resolve(dir), service, {
      seed,
      signal: controller.signal,
      onProgress: (done, total) => bar.update(`fingerprinted ${done}/${total}`),
    });
    bar.end();
    if (values.out) fs.writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
    if (ctx.json) ctx.emitJson(report);
    else ctx.print(formatEvaluation(report));
    return report.unreadable.length > 0 ? ExitCode.partial : ExitCode.ok;
  } catch (error) {
    if (controller.signal.aborted) {
      bar.end();
      process.stderr.write('evaluation cancelled\n');
      return ExitCode.cancelled;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    await service.close();
  }
};
