import { parseArgs } from 'node:util';
import { apiInputs, type CaseStatus, type CaseSummary } from '../../api/contract.ts';
import type { Command, CliContext } from '../context.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';
import { terminalText } from '../terminal-text.ts';

function printCase(ctx: CliContext, c: CaseSummary): void {
  ctx.print(`${terminalText(c.number)}  ${terminalText(c.title)}`);
  ctx.print(`  id          ${c.id}`);
  ctx.print(`  examiner    ${terminalText(c.examiner)}`);
  ctx.print(`  status      ${c.status}`);
  ctx.print(`  created     ${c.createdUtc}`);
  ctx.print(`  modified    ${c.modifiedUtc}`);
  ctx.print(`  items       ${c.itemCount}${c.openFindings ? `   OPEN INTEGRITY FINDINGS: ${c.openFindings}` : ''}`);
  if (c.description) ctx.print(`  description ${c.description}`);
}

const create: Command = async (ctx, args) => {
  const { values } = parseArgs({
    args,
    options: {
      number: { type: 'string' },
      title: { type: 'string' },
      examiner: { type: 'string' },
      description: { type: 'string', default: '' },
    },
    strict: true,
  });
  const parsed = apiInputs.createCase.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const created = await withEngine(ctx, (engine) => engine.handlers.createCase(parsed.data));
  if (ctx.json) ctx.emitJson(created);
  else printCase(ctx, created);
  return ExitCode.ok;
};

const list: Command = async (ctx, args) => {
  parseArgs({ args, options: {}, strict: true });
  const cases = await withEngine(ctx, (engine) => engine.handlers.listCases({}));
  if (ctx.json) {
    ctx.emitJson(cases);
    return ExitCode.ok;
  }
  if (cases.length === 0) ctx.print(`no cases in ${ctx.library.casesDir}`);
  for (const c of cases) {
    const flag = c.openFindings ? `  (${c.openFindings} open findings)` : '';
    ctx.print(`${terminalText(c.number).padEnd(16)} ${c.status.padEnd(7)} ${String(c.itemCount).padStart(6)} items  ${c.createdUtc}  ${terminalText(c.title)}${flag}`);
  }
  return ExitCode.ok;
};

const show: Command = async (ctx, args) => {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [ref] = positionals;
  if (!ref || positionals.length > 1) throw new UsageError('usage: modelprint case show <case number or id>');
  const caseId = ctx.library.resolveCase(ref).id;
  const summary = await withEngine(ctx, (engine) => engine.handlers.getCase({ caseId }));
  if (ctx.json) ctx.emitJson(summary);
  else printCase(ctx, summary);
  return ExitCode.ok;
};

const edit: Command = async (ctx, args) => {
  const { positionals, values } = parseArgs({ args, options: { title: { type: 'string' }, examiner: { type: 'string' }, description: { type: 'string' } }, allowPositionals: true, strict: true });
  const [ref] = positionals;
  if (!ref || positionals.length > 1) throw new UsageError('usage: modelprint case edit <case> [--title T] [--examiner E] [--description D]');
  const caseId = ctx.library.resolveCase(ref).id;
  const parsed = apiInputs.updateCase.safeParse({ caseId, ...values });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const summary = await withEngine(ctx, (engine) => engine.handlers.updateCase(parsed.data));
  if (ctx.json) ctx.emitJson(summary);
  else printCase(ctx, summary);
  return ExitCode.ok;
};

/** `case close|reopen|archive|unarchive <case>`: unarchiving leaves the case closed, as it was before archiving. */
const status =
  (target: CaseStatus): Command =>
  async (ctx, args) => {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    const [ref] = positionals;
    if (!ref || positionals.length > 1) throw new UsageError(`usage: modelprint case ${{ open: 'reopen', closed: 'close', archived: 'archive' }[target]} <case>`);
    const caseId = ctx.library.resolveCase(ref).id;
    const summary = await withEngine(ctx, (engine) => engine.handlers.setCaseStatus({ caseId, status: target }));
    if (ctx.json) ctx.emitJson(summary);
    else printCase(ctx, summary);
    return ExitCode.ok;
  };

export const caseCommands: Record<string, Command> = { create, list, show, edit, close: status('closed'), reopen: status('open'), archive: status('archived'), unarchive: status('closed') };
