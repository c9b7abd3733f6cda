// The examiner's notes as the report prints them: when, who, and the text as written (escaped).
import type { Note } from '../../api/contract.ts';
import { utc } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

export function notesList(notes: readonly Note[]): SafeHtml {
  return html`<ul class="plain notes">${notes.map((n) => html`<li><span class="muted">${utc(n.atUtc)}, ${n.actor}:</span> <span class="note-text">${n.text}</span></li>`)}</ul>`;
}
