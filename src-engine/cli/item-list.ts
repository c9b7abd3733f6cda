import { UsageError } from './usage-error.ts';

/** "--items 1,2,5-7" as item ids; undefined when the option is absent. */
export function parseItemList(value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError('--items takes item numbers, e.g. --items 1,2,5-7');
  const ids: number[] = [];
  for (const part of value.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) throw new UsageError(`--items: "${part}" is not an item number or a range like 5-7`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to < from || to - from > 100_000) throw new UsageError(`--items: "${part}" is not a valid range`);
    for (let id = from; id <= to; id++) ids.push(id);
  }
  return ids;
}
