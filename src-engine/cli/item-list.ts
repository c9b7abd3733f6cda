import { parseItemRanges } from '../api/item-ranges.ts';
import { UsageError } from './usage-error.ts';

/** "--items 1,2,5-7" as item ids; undefined when the option is absent. */
export function parseItemList(value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--items takes item numbers, e.g. --items 1,2,5-7');
  const parsed = parseItemRanges(value);
  if (!parsed.ok) throw new UsageError(`--items: ${parsed.error}`);
  return parsed.ids;
}
