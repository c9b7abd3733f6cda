// `modelprint note`: the examiner's notes on an item or on the case, through the engine (custody and
// audit as in the app). `note --case C [--item N] TEXT...` adds one; `note --case C --list [--item N]` lists.
import type { Command } from '../context.ts';
import { parseCaseArgs } from '../case-ref.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { terminalText } from '../terminal-text.ts';
import { UsageError } from '../usage-error.ts';

export const noteCommand: Command = async (ctx, args) => {
  const { handle, values, positionals } = parseCaseArgs(ctx.library, args, { item: { type: 'string' }, list: { type: 'boolean' } }, true);
  const itemId = values.item === undefined ? undefined : Number(values.item);
  if (itemId !== undefined && (!Number.isSafeInteger(itemId) || itemId < 1)) throw new UsageError('--item takes one item number');
  if (values.list) {
    const notes = await withEngine(ctx, (engine) => engine.handlers.listNotes({ caseId: handle.id, itemId }));
    if (ctx.json) ctx.emitJson(notes);
    else for (const n of notes) ctx.print(`${n.atUtc}  ${n.itemId === null ? 'case' : `item ${n.itemId}`}  ${terminalText(n.actor)}: ${terminalText(n.text)}`);
    return ExitCode.ok;
  }
  const text = positionals.join(' ').trim();
  if (text === '') throw new UsageError('usage: modelprint note --case <case> [--item N] <text>   (or --list)');
  const note = await withEngine(ctx, (engine) => engine.handlers.addNote({ caseId: handle.id, itemId, text }));
  if (ctx.json) ctx.emitJson(note);
  else ctx.print(`Note ${note.id} added to ${note.itemId === null ? 'the case' : `item ${note.itemId}`} (recorded in the audit log${note.itemId === null ? '' : ' and the item\'s custody'})`);
  return ExitCode.ok;
};
