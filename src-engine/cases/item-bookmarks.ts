// The examiner's bookmarks: the items the report is about (a report made without a choice of items
// covers the bookmarked ones when there are any). Each bookmark, comment change and removal is a
// custody event of the item and one audit entry for the request.
import type { Bookmark, MarkingChange } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { utcNow } from '../base/time.ts';
import type { Db } from '../db/open-database.ts';
import { addCustodyEvent, assertItemsExist } from './case-database.ts';
import { assertCaseAllows } from './case-lifecycle.ts';

interface BookmarkRow {
  item_id: number;
  comment: string;
  added_utc: string;
  actor: string;
}

const toBookmark = (r: BookmarkRow): Bookmark => ({ itemId: r.item_id, comment: r.comment, atUtc: r.added_utc, actor: r.actor });

export function bookmarkItems(db: Db, actor: string, itemIds: readonly number[], comment: string, remove: boolean): MarkingChange {
  assertCaseAllows(db, 'changes');
  assertItemsExist(db, itemIds);
  const at = utcNow();
  const read = db.prepare('SELECT * FROM bookmarks WHERE item_id = ?');
  return db.transaction(() => {
    const changed: number[] = [];
    const unchanged: number[] = [];
    for (const itemId of new Set(itemIds)) {
      const before = read.get(itemId) as BookmarkRow | undefined;
      if (remove ? !before : before?.comment === comment) {
        unchanged.push(itemId);
        continue;
      }
      if (remove) db.prepare('DELETE FROM bookmarks WHERE item_id = ?').run(itemId);
      else if (before) db.prepare('UPDATE bookmarks SET comment = ?, added_utc = ?, actor = ? WHERE item_id = ?').run(comment, at, actor, itemId);
      else db.prepare('INSERT INTO bookmarks (item_id, comment, added_utc, actor) VALUES (?, ?, ?, ?)').run(itemId, comment, at, actor);
      changed.push(itemId);
      addCustodyEvent(db, itemId, at, actor, remove ? 'bookmark_removed' : 'bookmarked', remove ? { comment: before!.comment } : before ? { comment, previousComment: before.comment } : { comment });
    }
    if (changed.length > 0) appendAudit(db, actor, remove ? 'bookmark.removed' : 'bookmark.added', { itemIds: changed, ...(remove ? {} : { comment }) });
    return { changed, unchanged };
  })();
}

export function listBookmarks(db: Db): Bookmark[] {
  return (db.prepare('SELECT * FROM bookmarks ORDER BY item_id').all() as BookmarkRow[]).map(toBookmark);
}

