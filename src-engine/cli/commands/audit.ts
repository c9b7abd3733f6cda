import { verifyAuditChain } from '../../audit/audit-log.ts';
import { verifyCheckpoints, writeCheckpoint } from '../../audit/checkpoints.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { printRecords } from '../record-coverage.ts';
import { terminalText } from '../terminal-text.ts';

const verify: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const result = verifyAuditChain(handle.db);
  // Signed checkpoints (checkpoints.ts) catch what the chain alone cannot: a chain rewritten with
  // its head. Only an intact chain with intact checkpoints gets a new checkpoint.
  const checkpoints = verifyCheckpoints(ctx.library.home, handle.dir, handle.db);
  const intact = result.ok && checkpoints.problems.length === 0;
  const checkpoint = intact ? writeCheckpoint(ctx.library.home, handle.dir, handle.db) : null;
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, ...result, ok: intact, checkpoints: { ...checkpoints, written: checkpoint } });
  } else {
    if (result.problems.length === 0) ctx.print(`Audit log chain intact: ${result.entries} entries, head ${result.headHash}`);
    else ctx.print(`AUDIT LOG TAMPERED: ${result.problems.length} problem(s) in ${result.entries} entries`);
    for (const p of result.problems) ctx.print(`  entry ${p.seq}: ${p.problem}: ${terminalText(p.message)}`);
    printRecords(ctx, result.records, 'audit chain');
    if (checkpoints.problems.length > 0) ctx.print(`SIGNED CHECKPOINTS CONTRADICT THE LOG: ${checkpoints.problems.length} problem(s) in ${checkpoints.checkpoints} checkpoints`);
    else ctx.print(`Signed checkpoints: ${checkpoints.checkpoints} earlier, all consistent with the log${checkpoint ? `; checkpoint of entry ${checkpoint.seq} signed (key ${checkpoint.keyId.slice(0, 16)})` : ''}`);
    for (const p of checkpoints.problems) ctx.print(`  checkpoint ${p.seq}: ${p.problem}: ${p.message}`);
    for (const k of checkpoints.foreignKeys) ctx.print(`  note: checkpoints signed by key ${k.slice(0, 16)}, not this workstation's (another lab's?)`);
  }
  return intact ? ExitCode.ok : ExitCode.integrityFailure;
};

const list: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const entries = await withEngine(ctx, (engine) => engine.handlers.listAudit({ caseId: handle.id, offset: 0, limit: Number.MAX_SAFE_INTEGER }));
  if (ctx.json) ctx.emitJson(entries);
  else for (const e of entries) ctx.print(`${String(e.seq).padStart(6)}  ${e.atUtc}  ${terminalText(e.actor)}  ${terminalText(e.action)}  ${terminalText(JSON.stringify(e.details))}`);
  return ExitCode.ok;
};

export const auditCommands = { verify, list };
