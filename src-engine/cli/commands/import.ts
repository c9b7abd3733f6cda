import { importEvidence } from '../../evidence/intake.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';
import { terminalText } from '../terminal-text.ts';

export const importCommand: Command = async (ctx, args) => {
  const { handle, values, positionals } = parseCaseArgs(ctx.library, args, { 'follow-links': { type: 'boolean' } }, true);
  if (positionals.length === 0) throw new UsageError('usage: modelprint import --case <case> <files or folders...>');
  const outcome = await runInterruptible(ctx.json, ({ signal, progress }) =>
    importEvidence(handle, positionals, {
      actor: ctx.actor,
      signal,
      links: values['follow-links'] === true ? 'follow-inside' : 'record',
      onProgress: (p) => {
        const c = p.counts;
        progress(`${p.done}/${p.total}  imported ${c.imported}  not analysable ${c.notAnalysable}  duplicates ${c.duplicates}  already in case ${c.alreadyInCase}  failed ${c.failed}`);
      },
    }),
  );
  if (ctx.json) {
    ctx.emitJson({ caseId: handle.id, cancelled: outcome.cancelled, total: outcome.total, done: outcome.done, counts: outcome.counts, failures: outcome.failures, changedWhileRead: outcome.warnings, linksNotFollowed: outcome.links });
  } else {
    const c = outcome.counts;
    ctx.print(`${outcome.cancelled ? 'Import cancelled' : 'Import finished'}: ${outcome.done} of ${outcome.total} files`);
    ctx.print(`  imported           ${c.imported}`);
    ctx.print(`  not analysable     ${c.notAnalysable}  (kept and hashed; see the case for reasons)`);
    ctx.print(`  duplicates         ${c.duplicates}  (recorded as custody events)`);
    ctx.print(`  already in case    ${c.alreadyInCase}`);
    ctx.print(`  could not be read  ${c.failed}`);
    for (const f of outcome.failures) ctx.print(`    ${terminalText(f.path)}: ${terminalText(f.message)}`);
    if (outcome.warnings.length > 0) ctx.print(`  changed while read ${outcome.warnings.length}  (imported as snapshots; recorded in custody)`);
    for (const w of outcome.warnings) ctx.print(`    ${terminalText(w.path)}: ${terminalText(w.message)}`);
    if (outcome.links.length > 0) ctx.print(`  links not followed ${outcome.links.length}  (recorded in the audit log)`);
    for (const l of outcome.links) ctx.print(`    ${terminalText(l.path)} -> ${terminalText(l.target)}: ${l.reason}`);
  }
  if (outcome.cancelled) return ExitCode.cancelled;
  return outcome.counts.failed > 0 || outcome.warnings.length > 0 ? ExitCode.partial : ExitCode.ok;
};
