// The gallery's history as the browser lists it: each entry with who did what to which model, in
// words, its entry hash, the chain's verification, and whether the last change can be undone.
import type { GalleryHistory, GalleryHistoryEntry } from '../api/contract.ts';
import { GALLERY_ACTION_WORDS } from '../api/gallery.ts';
import type { Db } from '../db/open-database.ts';
import { listHistory, verifyHistory, type HistoryEntry } from './gallery-history.ts';
import { undoRefusal } from './gallery-undo.ts';

function count(n: unknown, noun: string): string {
  const value = Number(n);
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** What the entry changed, in words; the details are the entry's own, written by the code that made the change. */
function summarise(entry: HistoryEntry): string {
  const d = entry.details;
  switch (entry.action) {
    case 'model.enrolled':
      return `enrolled from ${count(lengthOf(d['images']), 'reference image')}`;
    case 'model.re-enrolled':
      return `${count(lengthOf(d['images']), 'image')} embedded`;
    case 'model.removed':
      return `removed with ${count(d['images'], 'reference image')}`;
    case 'reference.removed':
      return `${String(d['originalName'])} removed, ${count(d['remaining'], 'reference image')} left`;
    case 'pack.imported':
    case 'gallery.seeded':
      return `${count(lengthOf(d['added']), 'model')} added, ${count(lengthOf(d['updated']), 'model')} updated`;
    case 'pack.exported':
      return `${count(lengthOf(d['models']), 'model')} exported to ${String(d['file'])}`;
    case 'change.undone':
      return `undid entry ${String(d['undoes'])} (${GALLERY_ACTION_WORDS[String(d['action'])] ?? String(d['action'])})`;
    default:
      return '';
  }
}

function toEntry(entry: HistoryEntry): GalleryHistoryEntry {
  const model = entry.details['model'];
  return { seq: entry.seq, atUtc: entry.atUtc, actor: entry.actor, action: entry.action, model: typeof model === 'string' ? model : null, summary: summarise(entry), entryHash: entry.entryHash };
}

export function galleryHistory(db: Db): GalleryHistory {
  const history = listHistory(db);
  const { ok, entries, headHash, problems } = verifyHistory(db);
  const last = history.at(-1);
  const refusal = !last ? null : !ok ? 'The history chain is broken; nothing is undone until it is checked.' : undoRefusal(last);
  return {
    entries: history.map(toEntry).reverse(),
    verification: { ok, entries, headHash, problems },
    undoable: last && refusal === null ? { seq: last.seq, action: last.action, model: toEntry(last).model } : null,
    undoRefusal: refusal,
  };
}
