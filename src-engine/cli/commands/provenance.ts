// `modelprint provenance`: analyses what the case's files say about their origin (items not yet
// analysed, or those --items names, again), then lists every item's claimed generator, C2PA
// state, anomalies and contradictions.
import type { ItemProvenance, JobStatus } from '../../api/contract.ts';
import { allEvidence } from '../../cases/case-database.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { runEngineJob } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { parseItemList } from '../item-list.ts';
import { terminalText } from '../terminal-text.ts';

type ProvenanceJob = Extract<JobStatus, { kind: 'provenance' }>;

export const provenanceCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { items: { type: 'string' } });
  const itemIds = parseItemList(values.items);
  const { job, engine } = await runEngineJob(
    ctx,
    (e) => e.handlers.startProvenance({ caseId: handle.id, itemIds }),
    (j) => `provenance ${j.done}/${j.total}  ${j.current ?? ''}`,
  );
  try {
    const result = job as ProvenanceJob;
    const items: Array<{ itemId: number; name: string; provenance: ItemProvenance | null }> = [];
    for (const row of allEvidence(handle.db)) {
      items.push({ itemId: row.id, name: row.original_name, provenance: await engine.handlers.getProvenance({ caseId: handle.id, itemId: row.id }) });
    }
    if (ctx.json) {
      ctx.emitJson({ caseId: handle.id, state: result.state, counts: result.counts, failures: result.failures, items });
    } else {
      ctx.print(`Provenance analysis ${result.state}: ${result.counts.analysed} analysed, ${result.counts.failed} failed`);
      for (const f of result.failures) ctx.print(`  item ${f.itemId}: ${terminalText(f.message)}`);
      for (const item of items) printItem(ctx.print, item);
    }
    if (result.state === 'cancelled') return ExitCode.cancelled;
    if (result.state === 'failed') throw new Error(result.error ?? 'provenance analysis failed');
    return result.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
  } finally {
    await engine.close();
  }
};

function printItem(print: (line: string) => void, item: { itemId: number; name: string; provenance: ItemProvenance | null }): void {
  print(`\nitem ${item.itemId}  ${terminalText(item.name)}`);
  const p = item.provenance;
  if (!p) {
    print('  not analysed');
    return;
  }
  const claim = p.report.claimedGenerator;
  // Everything below comes out of the file's own metadata: shown escaped, never raw.
  print(`  claimed generator  ${claim ? terminalText(`${claim.tool}; model ${claim.model ?? 'not named'}${claim.loras.length ? `; LoRAs ${claim.loras.map((l) => l.name).join(', ')}` : ''} (${claim.source})`) : 'none'}`);
  print(`  C2PA               ${p.report.c2pa.state}${p.report.c2pa.claimGenerator ? ` (${terminalText(p.report.c2pa.claimGenerator)})` : ''}`);
  for (const a of p.report.anomalies) print(`  anomaly [${a.severity}]  ${terminalText(a.message)}`);
  for (const c of p.contradictions) print(`  ${c.severity === 'info' ? 'note' : 'CONFLICT'}  ${terminalText(c.message)}`);
}
