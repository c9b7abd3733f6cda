import { fingerprintEvidence } from '../../fingerprint/fingerprint-job.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { progressReporter } from '../progress-line.ts';

export const fingerprintCommand: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const service = new FingerprintService();
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = progressReporter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  try {
    const outcome = await fingerprintEvidence(handle, service, {
      actor: ctx.actor,
      signal: controller.signal,
      onProgress: (p) => {
        const c = p.counts;
        bar.update(`fingerprinted ${p.done}/${p.total} on ${p.provider}  computed ${c.computed}  reused ${c.reused}  skipped ${c.skipped}  failed ${c.failed}`);
      },
    });
    bar.end();
    const model = service.model();
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, model: { name: model.name, sha256: model.sha256 }, ...outcome });
    } else {
      const c = outcome.counts;
      ctx.print(`${outcome.cancelled ? 'Fingerprinting cancelled' : 'Fingerprinting finished'}: ${outcome.total} items with ${model.name} on ${outcome.provider}`);
      ctx.print(`  computed ${c.computed}, reused ${c.reused}, skipped ${c.skipped} (not analysable), failed ${c.failed}`);
      for (const f of outcome.failures) ctx.print(`  item ${f.itemId}: ${f.message}`);
    }
    if (outcome.cancelled) return ExitCode.cancelled;
    return outcome.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    process.off('SIGINT', onSigint);
    await service.close();
  }
};
