// How `gallery verify` and `hashset verify` report a library store's history chain.
import type { RecordCoverage } from '../api/contract.ts';
import type { ChainCheck } from '../db/hash-chain.ts';
import type { CliContext } from './context.ts';
import { ExitCode } from './exit-codes.ts';
import { printRecords } from './record-coverage.ts';
import { terminalText } from './terminal-text.ts';

/** Prints the check (or emits it with --json), with its records where the store covers them; exit 1 when anything is wrong. */
export function reportChainCheck(ctx: CliContext, label: string, check: ChainCheck & { ok: boolean; records?: RecordCoverage }): number {
  if (ctx.json) ctx.emitJson(check);
  else {
    ctx.print(`${label}: ${check.entries} ${check.entries === 1 ? 'entry' : 'entries'}, ${check.problems.length === 0 ? 'chain intact' : 'CHAIN BROKEN'}; head ${check.headHash ?? '(none)'}`);
    for (const p of check.problems) ctx.print(`  entry ${p.seq}: ${p.problem}: ${terminalText(p.message)}`);
    if (check.records) printRecords(ctx, check.records, label.toLowerCase());
  }
  return check.ok ? ExitCode.ok : ExitCode.integrityFailure;
}
