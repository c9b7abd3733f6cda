// Findings about sets of items (set fingerprints, C_T curves), or the statement that there are none.
import { html, type SafeHtml } from '../html.ts';
import type { ReportData } from '../report-data.ts';
import { attributionFindings } from './attribution.ts';

export function setFindingsPart(data: ReportData): SafeHtml {
  if (!data.set.performed) return html`<p class="not-performed">${data.set.reason}.</p>`;
  return html`${data.set.sets.map((set) => html`<h3>${set.label}</h3><p class="muted">Items ${set.itemIds.join(', ')}</p>${attributionFindings(set)}`)}`;
}
