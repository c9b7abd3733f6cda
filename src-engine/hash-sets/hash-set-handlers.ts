// The API handlers of the library's hash sets: list, import a list file, remove. Imports and
// removals are recorded in the store's hash-chained history.
import type { ApiHandlers } from '../api/contract.ts';
import type { Db } from '../db/open-database.ts';
import { importHashSet, listHashSets, removeHashSet } from './hash-set-store.ts';

export interface HashSetHandlerDeps {
  /** The library's hash-set database, open for the engine's lifetime. */
  db: Db;
  actor: string;
}

export function hashSetHandlers({ db, actor }: HashSetHandlerDeps): Pick<ApiHandlers, 'listHashSets' | 'importHashSet' | 'removeHashSet'> {
  return {
    listHashSets: async () => listHashSets(db),
    importHashSet: async ({ name, category, path }) => importHashSet(db, { name, category, file: path, actor }),
    removeHashSet: async ({ name }) => {
      removeHashSet(db, name, actor);
      return listHashSets(db);
    },
  };
}
