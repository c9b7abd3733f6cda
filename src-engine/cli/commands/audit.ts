import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';

const verify: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const result = await withEngine(ctx, (engine) => engine.handlers.verifyAudit({ caseId: handle.id }));
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, ...result });
  } else if (result.ok) {
    ctx.print(`Audit log intact: ${result.entries} entries, head ${result.headHash}`);
  } else {
    ctx.print(`AUDIT LOG TAMPERED: ${result.problems.length} problem(s) in ${result.entries} entries`);
    for (const p of result.problems) ctx.print(`  entry ${p.seq}: ${p.problem}: ${p.message}`);
  }
  return result.ok ? ExitCode.ok : ExitCode.integrityFailure;
};

const list: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const entries = await withEngine(ctx, (engine) => engine.handlers.listAudit({ caseId: handle.id, offset: 0, limit: Number.MAX_SAFE_INTEGER }));
  if (ctx.json) ctx.emitJson(entries);
  else for (const e of entries) ctx.print(`${String(e.seq).padStart(6)}  ${e.atUtc}  ${e.actor}  ${e.action}  ${JSON.stringify(e.details)}`);
  return ExitCode.ok;
};

export const auditCommands = { verify, list };
