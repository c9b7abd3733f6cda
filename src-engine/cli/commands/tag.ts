// `modelprint tag`: the examiner's tags on items, through the engine (custody and audit as in the
// app). `tag --case C --items 1-20,34 TAG` adds, `--remove` takes it off, `--list` lists the case's tags.
import type { MarkingChange } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import { checkedCall } from '../checked-call.ts';
import type { Command } from '../context.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { itemsPhrase, parseItemSelection } from '../item-list.ts';
import { terminalText } from '../terminal-text.ts';
import { UsageError } from '../usage-error.ts';

export const tagCommand: Command = async (ctx, args) => {
  const { handle, values, positionals } = parseCaseArgs(ctx.library, args, { item: { type: 'string' }, items: { type: 'string' }, remove: { type: 'boolean' }, list: { type: 'boolean' } }, true);
  if (values.list) {
    if (positionals.length > 0 || values.remove) throw new UsageError('--list takes no tag and no --remove');
    const tags = await withEngine(ctx, (engine) => checkedCall(engine, 'listTags', { caseId: handle.id }));
    if (ctx.json) ctx.emitJson(tags);
    else if (tags.length === 0) ctx.print('No item of this case is tagged.');
    else for (const t of tags) ctx.print(`${terminalText(t.tag)}  ${t.items} ${t.items === 1 ? 'item' : 'items'}`);
    return ExitCode.ok;
  }
  const tag = positionals.join(' ');
  if (tag.trim() === '') throw new UsageError('usage: modelprint tag --case <case> --item N|--items 1-20,34 [--remove] <tag>   (or --list)');
  const itemIds = parseItemSelection(values);
  const remove = values.remove === true;
  const change: MarkingChange = await withEngine(ctx, (engine) => checkedCall(engine, 'tagItems', { caseId: handle.id, itemIds, tag, remove }));
  if (ctx.json) ctx.emitJson(change);
  else {
    const shown = terminalText(tag.trim());
    if (change.changed.length > 0) ctx.print(`Tag "${shown}" ${remove ? 'removed from' : 'added to'} ${itemsPhrase(change.changed)} (recorded in the audit log and each item's custody)`);
    if (change.unchanged.length > 0) ctx.print(`${itemsPhrase(change.unchanged, 'Item')} ${remove ? 'did not carry' : 'already carried'} the tag "${shown}"`);
  }
  return ExitCode.ok;
};
