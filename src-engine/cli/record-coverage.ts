// How verify, audit verify and gallery verify print the records they checked against a chain.
import type { RecordCoverage } from '../api/contract.ts';
import type { CliContext } from './context.ts';
import { terminalText } from './terminal-text.ts';

/** `against`: what holds the digests, as the examiner knows it ("audit chain", "gallery history"). */
export function printRecords(ctx: CliContext, records: RecordCoverage, against: string): void {
  const old = records.notCovered > 0 ? `, ${records.notCovered} not covered (created before record digests)` : '';
  ctx.print(`Records: ${records.covered} match the ${against}${old}`);
  if (records.problems.length > 0) ctx.print(`RECORDS CHANGED, DELETED OR INSERTED OUTSIDE THE APPLICATION: ${records.problems.length}`);
  for (const p of records.problems) ctx.print(`  ${p.seq > 0 ? `entry ${p.seq}: ` : ''}${p.problem}: ${terminalText(p.message)}`);
}
