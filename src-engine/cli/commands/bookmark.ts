// `modelprint bookmark`: the examiner's bookmarks, which choose what a report covers when no items
// are given. `bookmark --case C --items 3,5 [--comment TEXT]`, `--remove`, `--list`.
import { parseCaseArgs } from '../case-ref.ts';
import { checkedCall } from '../checked-call.ts';
import type { Command } from '../context.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { itemsPhrase, parseItemSelection } from '../item-list.ts';
import { terminalText } from '../terminal-text.ts';
import { UsageError } from '../usage-error.ts';

export const bookmarkCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, {
    item: { type: 'string' },
    items: { type: 'string' },
    comment: { type: 'string' },
    remove: { type: 'boolean' },
    list: { type: 'boolean' },
  });
  if (values.list) {
    const bookmarks = await withEngine(ctx, (engine) => checkedCall(engine, 'listBookmarks', { caseId: handle.id }));
    if (ctx.json) ctx.emitJson(bookmarks);
    else if (bookmarks.length === 0) ctx.print('No item of this case is bookmarked: a report without --items covers every item.');
    else for (const b of bookmarks) ctx.print(`item ${b.itemId}  ${b.atUtc}  ${terminalText(b.actor)}${b.comment ? `: ${terminalText(b.comment)}` : ''}`);
    return ExitCode.ok;
  }
  const itemIds = parseItemSelection(values);
  const remove = values.remove === true;
  if (remove && values.comment !== undefined) throw new UsageError('--remove takes no --comment');
  const comment = typeof values.comment === 'string' ? values.comment : '';
  const change = await withEngine(ctx, (engine) => checkedCall(engine, 'bookmarkItems', { caseId: handle.id, itemIds, comment, remove }));
  if (ctx.json) ctx.emitJson(change);
  else {
    if (change.changed.length > 0) ctx.print(`${remove ? 'Bookmark removed from' : 'Bookmarked'} ${itemsPhrase(change.changed)} (recorded in the audit log and each item's custody)`);
    if (change.unchanged.length > 0) ctx.print(`${itemsPhrase(change.unchanged, 'Item')}: ${remove ? 'not bookmarked' : 'already bookmarked with this comment'}`);
  }
  return ExitCode.ok;
};
