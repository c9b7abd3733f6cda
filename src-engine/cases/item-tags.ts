// The examiner's tags on items: labels to find items by (grid filter, report picker). The table holds
// the current tags; every addition and removal is a custody event of the item and one audit entry
// for the request, so what an item carried at any time can be read back.
import type { MarkingChange, TagCount } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { utcNow } from '../base/time.ts';
import type { Db } from '../db/open-database.ts';
import { addCustodyEvent, assertItemsExist } from './case-database.ts';
import { assertCaseAllows } from './case-lifecycle.ts';

export function tagItems(db: Db, actor: string, itemIds: readonly number[], tag: string, remove: boolean): MarkingChange {
  assertCaseAllows(db, 'changes');
  assertItemsExist(db, itemIds);
  const at = utcNow();
  const change = remove
    ? db.prepare('DELETE FROM item_tags WHERE item_id = ? AND tag = ?')
    : db.prepare('INSERT INTO item_tags (item_id, tag, added_utc, actor) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  return db.transaction(() => {
    const changed: number[] = [];
    const unchanged: number[] = [];
    for (const itemId of new Set(itemIds)) {
      const result = remove ? change.run(itemId, tag) : change.run(itemId, tag, at, actor);
      if (result.changes === 0) {
        unchanged.push(itemId);
        continue;
      }
      changed.push(itemId);
      addCustodyEvent(db, itemId, at, actor, remove ? 'tag_removed' : 'tag_added', { tag });
    }
    if (changed.length > 0) appendAudit(db, actor, remove ? 'tag.removed' : 'tag.added', { tag, itemIds: changed });
    return { changed, unchanged };
  })();
}

export function listTags(db: Db): TagCount[] {
  // Tags that differ only in case are one tag (COLLATE NOCASE); one of the spellings in use names it.
  return db.prepare('SELECT min(tag) AS tag, count(*) AS items FROM item_tags GROUP BY tag ORDER BY tag').all() as TagCount[];
}

