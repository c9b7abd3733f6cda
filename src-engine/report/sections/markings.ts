// An exhibit's tags and bookmark as the report prints them beside its notes: how the examiner
// marked the item, said plainly (they are not findings).
import { utc } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Exhibit } from '../report-data.ts';

export function markingsLine(e: Exhibit): SafeHtml {
  if (e.tags.length === 0 && !e.bookmark) return html``;
  const bookmark = e.bookmark
    ? html`<span class="badge info">bookmarked</span> by ${e.bookmark.actor}, ${utc(e.bookmark.atUtc)}${e.bookmark.comment ? html`: <span class="note-text">${e.bookmark.comment}</span>` : ''}`
    : '';
  const tags = e.tags.length > 0 ? html`Tags: ${e.tags.map((tag, i) => html`${i > 0 ? ' ' : ''}<span class="tag">${tag}</span>`)}` : '';
  return html`<p class="markings">${bookmark}${e.bookmark && e.tags.length > 0 ? html`<br>` : ''}${tags}</p>`;
}
