// The comparisons behind calibration v2 and its validation: every condition's query bags scored
// leave-bag-out against entries of each reference count, the entries pooled from the published
// references and (for a transformed condition) from references under the same condition, since an
// examiner's gallery holds published files while evidence is often re-encoded, and a folder of
// shared images is re-encoded throughout. Bags are grouped by the compression the evidence itself
// shows, which is what the engine can see at attribution time.
import type { EntryKey, Pooling } from './calibration-set.ts';
import { scoreLeaveBagOut, type ConditionedFolder, type ScoredBag } from './leave-bag-out.ts';

export interface Scheme {
  pooling: Pooling;
  bagSize: number;
}

/** Single images, and mean-pooled bags of 5, 10 and 50. */
export const REAL_SCHEMES: readonly Scheme[] = [
  { pooling: 'single', bagSize: 1 },
  { pooling: 'mean', bagSize: 5 },
  { pooling: 'mean', bagSize: 10 },
  { pooling: 'mean', bagSize: 50 },
];

export interface ScoredGroup {
  key: EntryKey;
  bags: ScoredBag[];
  /** The conditions the bags came from. */
  conditions: string[];
}

export function groupKey(key: EntryKey): string {
  return `${key.pooling}/${key.bagSize}/${key.references}/${key.compression}`;
}

/** Query/reference folder pairs: each condition against the published references, and against itself. */
function pairings(folders: readonly ConditionedFolder[]): Array<{ queries: ConditionedFolder; references: ConditionedFolder }> {
  const published = folders.find((f) => f.condition === 'as-published');
  return folders.flatMap((queries) => {
    const own = [{ queries, references: queries }];
    return published && queries !== published ? [...own, { queries, references: published }] : own;
  });
}

export function scoreGroups(
  folders: readonly ConditionedFolder[],
  options: { schemes: readonly Scheme[]; references: readonly number[]; seed: number; signal?: AbortSignal },
): ScoredGroup[] {
  const groups = new Map<string, ScoredGroup>();
  for (const { queries, references } of pairings(folders)) {
    for (const scheme of options.schemes) {
      for (const count of options.references) {
        const bags = scoreLeaveBagOut(queries, references, { ...scheme, references: count, mode: 'fixed', seed: options.seed, signal: options.signal });
        for (const bag of bags) {
          const key: EntryKey = { ...scheme, references: count, compression: bag.compression };
          const id = groupKey(key);
          let group = groups.get(id);
          if (!group) groups.set(id, (group = { key, bags: [], conditions: [] }));
          group.bags.push(bag);
          if (!group.conditions.includes(queries.condition)) group.conditions.push(queries.condition);
        }
      }
    }
  }
  return [...groups.values()];
}
