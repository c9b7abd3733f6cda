// The examiner's notes: on an item (also a custody event of that item) or on the case, each an
// audit entry carrying the note's text and its sha256. Append-only in the database (case-migrations v8).
import { createHash } from 'node:crypto';
import type { Note } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { utcNow } from '../base/time.ts';
import type { Db } from '../db/open-database.ts';
import { addCustodyEvent } from './case-database.ts';
import { assertCaseAllows } from './case-lifecycle.ts';

interface NoteRow {
  id: number;
  item_id: number | null;
  at_utc: string;
  actor: string;
  text: string;
}

const toNote = (r: NoteRow): Note => ({ id: r.id, itemId: r.item_id, atUtc: r.at_utc, actor: r.actor, text: r.text });

export function addNote(db: Db, actor: string, itemId: number | null, text: string): Note {
  assertCaseAllows(db, 'changes');
  if (itemId !== null && !db.prepare('SELECT 1 FROM evidence_items WHERE id = ?').get(itemId)) throw new ApiError('not_found', `no evidence item ${itemId} in this case`);
  const at = utcNow();
  const textSha256 = createHash('sha256').update(text).digest('hex');
  const id = db.transaction(() => {
    const noteId = Number(db.prepare('INSERT INTO notes (item_id, at_utc, actor, text) VALUES (?, ?, ?, ?)').run(itemId, at, actor, text).lastInsertRowid);
    if (itemId !== null) addCustodyEvent(db, itemId, at, actor, 'note_added', { noteId, textSha256 });
    appendAudit(db, actor, 'note.added', { noteId, itemId, text, textSha256 });
    return noteId;
  })();
  return { id, itemId, atUtc: at, actor, text };
}

/** An item's notes, or (itemId undefined) every note of the case, oldest first. */
export function listNotes(db: Db, itemId?: number): Note[] {
  const rows = itemId === undefined ? db.prepare('SELECT * FROM notes ORDER BY id').all() : db.prepare('SELECT * FROM notes WHERE item_id = ? ORDER BY id').all(itemId);
  return (rows as NoteRow[]).map(toNote);
}
