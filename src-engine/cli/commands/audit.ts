import { listAudit, verifyAuditChain } from '../../audit/audit-log.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { terminalText } from '../terminal-text.ts';

const verify: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const result = verifyAuditChain(handle.db);
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
  const entries = listAudit(handle.db, 0, Number.MAX_SAFE_INTEGER);
  if (ctx.json) ctx.emitJson(entries);
  else for (const e of entries) ctx.print(`${String(e.seq).padStart(6)}  ${e.atUtc}  ${terminalText(e.actor)}  ${terminalText(e.action)}  ${terminalText(JSON.stringify(e.details))}`);
  return ExitCode.ok;
};

export const auditCommands = { verify, list };
