// How `gallery verify` and `hashset verify` report a library store's history chain.
import type { ChainCheck } from '../db/hash-chain.ts';
import type { CliContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';

/** Prints the check (or emits it with --json); exit 1 when the chain is broken. */
export function reportChainCheck(ctx: CliContext, label: string, check: ChainCheck & { ok: boolean }): number {
  if (ctx.json) ctx.emitJson(check);
  else {
    ctx.print(`${label}: ${check.entries} ${check.entries === 1 ? 'entry' : 'entries'}, ${check.ok ? 'chain intact' : 'CHAIN BROKEN'}; head ${check.headHash ?? '(none)'}`);
    for (const p of check.problems) ctx.print(`  entry ${p.seq}: ${p.problem}: ${p.message}`);
  }
  return check.ok ? ExitCode.ok : ExitCode.integrityFailure;
}
