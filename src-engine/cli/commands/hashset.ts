// `modelprint hashset ...`: the library's hash sets (<home>/hash-sets.sqlite): import a plain
// SHA-256/MD5 list or an NSRL RDS-style CSV under a name and category, list, remove, and list a
// case's items that match, and check the history of imports and removals.
import { parseArgs } from 'node:util';
import { HASH_SET_CATEGORIES, HASH_SET_CATEGORY_WORDS, type HashSetCategory } from '../../api/hash-sets.ts';
import { importHashSet, listHashSets, removeHashSet, verifyHashSetHistory, withHashSets } from '../../hash-sets/hash-set-store.ts';
import { reportChainCheck } from '../chain-check.ts';
import { caseHashedItems, matchItems } from '../../hash-sets/match-items.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { terminalText } from '../terminal-text.ts';
import { UsageError } from '../usage-error.ts';

const IMPORT_USAGE = `usage: modelprint hashset import --name NAME --category ${HASH_SET_CATEGORIES.join('|')} FILE`;

function isCategory(value: string | undefined): value is HashSetCategory {
  return (HASH_SET_CATEGORIES as readonly string[]).includes(value ?? '');
}

const importCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({ args, options: { name: { type: 'string' }, category: { type: 'string' } }, allowPositionals: true, strict: true });
  const [file, ...extra] = positionals;
  const name = values.name?.trim();
  if (!name || !file || extra.length > 0) throw new UsageError(IMPORT_USAGE);
  if (!isCategory(values.category)) throw new UsageError(`--category must be one of ${HASH_SET_CATEGORIES.join(', ')}\n${IMPORT_USAGE}`);
  const category = values.category;
  const outcome = await withHashSets(ctx.library.home, (db) =>
    runInterruptible(ctx.json, async ({ signal }) => {
      try {
        return await importHashSet(db, { name, category, file, actor: ctx.actor, signal });
      } catch (error) {
        // Ctrl-C while reading: the set is stored in one transaction at the end, so nothing was written.
        if (signal.aborted) return null;
        throw error;
      }
    }),
  );
  if (outcome === null) {
    if (ctx.json) ctx.emitJson({ cancelled: true });
    else ctx.print('Import cancelled (nothing written)');
    return ExitCode.cancelled;
  }
  if (ctx.json) ctx.emitJson(outcome);
  else {
    const s = outcome.set;
    ctx.print(`Imported hash set "${terminalText(s.name)}" (${HASH_SET_CATEGORY_WORDS[s.category]}, ${s.format === 'nsrl-rds' ? 'NSRL RDS CSV' : 'plain list'}): ${s.sha256Count} SHA-256 and ${s.md5Count} MD5 hashes`);
    ctx.print(`  file ${terminalText(s.sourceName)} sha256 ${s.sourceSha256}`);
    if (s.badLineCount > 0) {
      ctx.print(`  ${s.badLineCount} ${s.badLineCount === 1 ? 'line holds' : 'lines hold'} no usable hash (not imported)${s.badLineCount > outcome.badLines.length ? ` (the first ${outcome.badLines.length}):` : ':'}`);
      for (const b of outcome.badLines) ctx.print(`    line ${b.line}: ${terminalText(b.reason)}`);
    }
  }
  return ExitCode.ok;
};

const list: Command = async (ctx, args) => {
  parseArgs({ args, options: {}, strict: true });
  const sets = await withHashSets(ctx.library.home, listHashSets);
  if (ctx.json) {
    ctx.emitJson(sets);
    return ExitCode.ok;
  }
  ctx.print(`Hash sets: ${sets.length}`);
  for (const s of sets) {
    ctx.print(`  ${terminalText(s.name).padEnd(24)} ${HASH_SET_CATEGORY_WORDS[s.category].padEnd(22)} ${String(s.sha256Count).padStart(8)} SHA-256 ${String(s.md5Count).padStart(8)} MD5  ${s.badLineCount} bad lines`);
    ctx.print(`  ${''.padEnd(24)} ${terminalText(s.sourceName)} sha256 ${s.sourceSha256}, imported ${s.importedUtc} by ${terminalText(s.importedBy)}`);
  }
  return ExitCode.ok;
};

const remove: Command = async (ctx, args) => {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('usage: modelprint hashset remove NAME');
  const removed = await withHashSets(ctx.library.home, (db) => removeHashSet(db, name, ctx.actor));
  if (ctx.json) ctx.emitJson({ removed: removed.name });
  else ctx.print(`Removed hash set "${terminalText(removed.name)}" (${removed.sha256Count + removed.md5Count} hashes) from the library`);
  return ExitCode.ok;
};

const match: Command = async (ctx, args) => {
  const { handle } = parseCaseArgs(ctx.library, args, {});
  const items = caseHashedItems(handle.db);
  const matches = await withHashSets(ctx.library.home, (db) => matchItems(db, items));
  const matched = items.filter((i) => matches.has(i.id)).map((i) => ({ itemId: i.id, originalName: i.originalName, sha256: i.sha256, matches: matches.get(i.id)! }));
  if (ctx.json) {
    ctx.emitJson(matched);
    return ExitCode.ok;
  }
  ctx.print(`${matched.length} of ${items.length} items are listed in a hash set`);
  for (const item of matched) {
    ctx.print(`  item ${item.itemId}  ${terminalText(item.originalName)}`);
    for (const m of item.matches) ctx.print(`    ${terminalText(m.setName)} (${HASH_SET_CATEGORY_WORDS[m.category]}) by ${m.algorithm === 'sha256' ? 'SHA-256' : 'MD5'}`);
  }
  return ExitCode.ok;
};

const verify: Command = async (ctx, args) => {
  parseArgs({ args, options: {}, strict: true });
  return reportChainCheck(ctx, 'Hash-set history', await withHashSets(ctx.library.home, verifyHashSetHistory));
};

export const hashSetCommands: Record<string, Command> = { import: importCommand, list, remove, match, verify };
