import { parseItemRanges } from '../api/item-ranges.ts';
import { idRanges } from '../report/format.ts';
import { UsageError } from './usage-error.ts';

/** "--items 1,2,5-7" as item ids; undefined when the option is absent. */
export function parseItemList(value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--items takes item numbers, e.g. --items 1,2,5-7');
  const parsed = parseItemRanges(value);
  if (!parsed.ok) throw new UsageError(`--items: ${parsed.error}`);
  return parsed.ids;
}

/** The items a marking command is about: --item N or --items 1-20,34 (one of them, required). */
export function parseItemSelection(values: Record<string, string | boolean | undefined>): number[] {
  if (values.item !== undefined && values.items !== undefined) throw new UsageError('give --item or --items, not both');
  const ids = parseItemList(values.items ?? values.item);
  if (!ids) throw new UsageError('--item N or --items 1-20,34 says which items');
  return ids;
}

/** "items 1–3, 7" (or "item 4"), for the lines that say what a command changed. */
export function itemsPhrase(ids: readonly number[], noun: 'item' | 'Item' = 'item'): string {
  return `${noun}${ids.length === 1 ? '' : 's'} ${idRanges(ids)}`;
}
