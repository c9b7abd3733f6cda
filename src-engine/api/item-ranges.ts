// Item numbers as examiners write them, "1-20,34", for the CLI's --items and the app's pickers.
// Part of the contract's vocabulary: both sides read the same text the same way.

/** The most items one range may span: a typo like "1-9999999" must not allocate millions of ids. */
export const MAX_RANGE_SPAN = 100_000;

export type ItemRanges = { ok: true; ids: number[] } | { ok: false; error: string };

/** Ids in the order written, each once. */
export function parseItemRanges(text: string): ItemRanges {
  if (text.trim() === '') return { ok: false, error: 'no item numbers given (e.g. 1-20,34)' };
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) return { ok: false, error: `"${part.trim()}" is not an item number or a range like 5-7` };
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from < 1 || to < from || to - from >= MAX_RANGE_SPAN) return { ok: false, error: `"${part.trim()}" is not a valid range` };
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return { ok: true, ids: [...ids] };
}
