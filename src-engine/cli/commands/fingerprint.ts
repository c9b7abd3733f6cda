import { fingerprintEvidence } from '../../fingerprint/fingerprint-job.ts';
import { FingerprintService } from '../../fingerprint/fingerprint-service.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { terminalText } from '../terminal-text.ts';

export const fingerprintCommand: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const service = new FingerprintService();
  try {
    const outcome = await runInterruptible(ctx.json, ({ signal, progress }) =>
      fingerprintEvidence(handle, service, {
        actor: ctx.actor,
        signal,
        onProgress: (p) => {
          const c = p.counts;
          progress(`fingerprinted ${p.done}/${p.total} on ${p.provider}  computed ${c.computed}  reused ${c.reused}  skipped ${c.skipped}  failed ${c.failed}`);
        },
      }),
    );
    const model = service.model();
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, model: { name: model.name, sha256: model.sha256 }, ...outcome });
    } else {
      const c = outcome.counts;
      ctx.print(`${outcome.cancelled ? 'Fingerprinting cancelled' : 'Fingerprinting finished'}: ${outcome.total} items with ${model.name} on ${outcome.provider}`);
      ctx.print(`  computed ${c.computed}, reused ${c.reused}, skipped ${c.skipped} (not analysable), failed ${c.failed}`);
      for (const f of outcome.failures) ctx.print(`  item ${f.itemId}: ${terminalText(f.message)}`);
    }
    if (outcome.cancelled) return ExitCode.cancelled;
    return outcome.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await service.close();
  }
};
