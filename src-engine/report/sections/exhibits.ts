// Exhibits received, with their hashes and integrity state, then each one's chain of custody.
import { HASH_SET_CATEGORY_WORDS } from '../../api/hash-sets.ts';
import { html, type SafeHtml } from '../html.ts';
import { bytes, detailsLine, dimensions, utc } from '../format.ts';
import type { Exhibit, ReportData } from '../report-data.ts';
import { integrityCallout } from './cover.ts';
import { markingsLine } from './markings.ts';
import { notesList } from './notes.ts';

const INTEGRITY: Record<Exhibit['integrity'], SafeHtml> = {
  intact: html`<span class="badge ok">matches intake hash</span>`,
  hash_mismatch: html`<span class="badge critical">HASH MISMATCH</span>`,
  missing_file: html`<span class="badge critical">STORED COPY MISSING</span>`,
};

/** `pictured`: each exhibit's picture goes with its custody (when the report has no findings per item to carry it). */
export function exhibitsPart(data: ReportData, pictured: boolean): SafeHtml {
  return html`${integrityCallout(data)}
<table>
  <colgroup><col style="width:7%"><col style="width:37%"><col style="width:21%"><col style="width:14%"><col style="width:21%"></colgroup>
  <thead><tr><th>Item</th><th>File name and original path</th><th>Content</th><th>Size</th><th>Integrity</th></tr></thead>
  <tbody>${data.exhibits.map(exhibitRows)}</tbody>
</table>
<h3>Chain of custody</h3>
${data.exhibits.map((e) => custodyTable(e, pictured))}`;
}

function exhibitRows(e: Exhibit): SafeHtml {
  const content = e.format ? `${e.format.toUpperCase()}, ${dimensions(e.width, e.height)}` : `not analysable (${e.reasonCode ?? 'unknown'})`;
  return html`<tr style="border-bottom:none">
  <td><strong>${e.itemId}</strong></td>
  <td>${e.originalName}<br><span class="muted mono">${e.originalPath}</span></td>
  <td>${content}${e.extensionMatches ? '' : html`<br><span class="badge warning wrap">extension .${e.extension} does not match the content</span>`}</td>
  <td>${bytes(e.sizeBytes)}<br><span class="muted">${e.sizeBytes.toLocaleString('en-US')} bytes</span></td>
  <td>${INTEGRITY[e.integrity]}</td>
</tr>
<tr><td></td><td colspan="4" class="hashes"><span class="mono">SHA-256 ${e.sha256}<br>MD5 ${e.md5}</span><br><span class="muted">received ${utc(e.receivedUtc)} by ${e.receivedBy}${e.reason ? ` · ${e.reason}` : ''}</span>${hashSetLines(e)}</td></tr>`;
}

/** Each hash set that lists the exhibit: its name, category, which hash it lists, and its list file's SHA-256. */
function hashSetLines(e: Exhibit): SafeHtml {
  return html`${e.hashSetMatches.map(
    (m) => html`<br><span class="badge ${m.category === 'known-generated' ? 'warning' : 'ok'} wrap">listed in hash set “${m.setName}” (${HASH_SET_CATEGORY_WORDS[m.category]}) by its ${m.algorithm === 'sha256' ? 'SHA-256' : 'MD5'}</span> <span class="muted">set file SHA-256 <span class="mono">${m.setSha256}</span></span>`,
  )}`;
}

/** The exhibit's picture with the hash of the stored copy it was rendered from, or why there is none. */
export function exhibitFigure(e: Exhibit): SafeHtml {
  if (!e.picture) {
    const why = e.integrity !== 'intact' ? 'the stored copy no longer matches its intake hash' : e.status !== 'analysable' ? 'the file is not a decodable image' : 'the stored copy could not be rendered';
    return html`<p class="muted">No picture: ${why}.</p>`;
  }
  return html`<figure class="exhibit-picture"><img src="${e.picture.dataUri}" width="${e.picture.width}" height="${e.picture.height}" alt="Item ${e.itemId}">
<figcaption>Item ${e.itemId}, downscaled to ${dimensions(e.picture.width, e.picture.height)} for this report (EXIF orientation applied) from the stored copy, SHA-256 <span class="mono">${e.sha256}</span>, re-verified for this report. An illustration, not the exhibit.</figcaption></figure>`;
}

function custodyTable(e: Exhibit, pictured: boolean): SafeHtml {
  return html`<h4>Item ${e.itemId} — ${e.originalName}</h4>
${markingsLine(e)}
${pictured ? exhibitFigure(e) : ''}
${e.notes.length > 0 ? html`<p><strong>Examiner's notes</strong></p>${notesList(e.notes)}` : ''}
<table>
  <colgroup><col style="width:17%"><col style="width:15%"><col style="width:13%"><col style="width:55%"></colgroup>
  <thead><tr><th>Time</th><th>Actor</th><th>Event</th><th>Details</th></tr></thead>
  <tbody>${e.custody.map((c) => html`<tr><td>${utc(c.atUtc)}</td><td>${c.actor}</td><td>${c.action.replaceAll('_', ' ')}</td><td class="mono">${detailsLine(c.details)}</td></tr>`)}</tbody>
</table>`;
}
