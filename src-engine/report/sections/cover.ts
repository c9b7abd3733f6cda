// The cover: whose case, who examined it, when the report was made, what it covers, and whether
// every exhibit still matched its intake hash when the report was made.
import { notesList } from './notes.ts';
import { html, type SafeHtml } from '../html.ts';
import { idRanges, plural, utc } from '../format.ts';
import type { ReportData } from '../report-data.ts';

export function coverPart(data: ReportData, bundleSha256: string): SafeHtml {
  const c = data.case;
  return html`<div class="cover">
  <div class="kicker">Modelprint · evidence report</div>
  <h1>${c.title}</h1>
  <table class="kv">
    <tr><th>Case number</th><td>${c.number}</td></tr>
    <tr><th>Examiner</th><td>${c.examiner}</td></tr>
    <tr><th>Report generated</th><td>${utc(data.generatedUtc)} by ${data.generatedBy}</td></tr>
    <tr><th>Case opened</th><td>${utc(c.createdUtc)}</td></tr>
    <tr><th>Exhibits covered</th><td>${plural(data.exhibits.length, 'item')}: ${exhibitRange(data)}${bookmarkedNote(data)}</td></tr>
    <tr><th>Attribution</th><td>${attributionSummary(data)}</td></tr>
    <tr><th>Report id</th><td class="mono">${data.reportId}</td></tr>
    <tr><th>Software</th><td>modelprint ${data.software.version} (Node ${data.software.node}, ${data.software.platform})</td></tr>
    <tr><th>JSON bundle SHA-256</th><td class="mono">${bundleSha256}</td></tr>
    <tr><th>Findings digest</th><td class="mono">${data.findingsDigest}</td></tr>
    <tr><th>Audit log head</th><td class="mono">entry ${data.audit.headSeq}: ${data.audit.headHash ?? 'empty log'}</td></tr>
  </table>
  ${c.description ? html`<h4>Case description</h4><p class="description">${c.description}</p>` : ''}
  ${data.caseNotes.length > 0 ? html`<h4>Examiner's notes on the case</h4>${notesList(data.caseNotes)}` : ''}
  ${integrityCallout(data)}
  <p class="muted">The JSON bundle written beside this PDF states the same findings in machine-readable form (CASE/UCO style); its SHA-256 above identifies it. The findings digest is a hash of the findings alone: a report made again from the same evidence and analyses has the same digest.</p>
</div>`;
}

/** How many items got each decision, and the sets: the findings at a glance, detailed in the chapters. */
function attributionSummary(data: ReportData): string {
  const decisions = data.items.flatMap((i) => (i.attribution.performed ? [i.attribution.result.decision.kind] : []));
  if (decisions.length === 0 && data.set.attributions.length === 0) return 'none stored for these items';
  const count = (kind: string) => decisions.filter((d) => d === kind).length;
  const items = `${plural(decisions.length, 'item')} compared with the gallery: ${count('attributed')} attributed, ${count('tied')} not told apart, ${count('inconclusive')} inconclusive, ${count('no-known-model')} no known model`;
  return data.set.attributions.length === 0 ? items : `${items}; ${plural(data.set.attributions.length, 'set')} of items`;
}

function bookmarkedNote(data: ReportData): string {
  const bookmarked = data.exhibits.filter((e) => e.bookmark !== null).length;
  return bookmarked === 0 ? '' : ` (${bookmarked === data.exhibits.length ? 'all' : bookmarked} bookmarked by the examiner)`;
}

function exhibitRange(data: ReportData): string {
  return `item${data.exhibits.length === 1 ? '' : 's'} ${idRanges(data.exhibits.map((e) => e.itemId))}`;
}

export function integrityCallout(data: ReportData): SafeHtml {
  const check = data.integrity;
  if (check.checkedUtc === null) {
    return html`<div class="callout info"><strong>Preview:</strong> every exhibit's hash is re-verified when the report is generated; the result appears here.${check.problems.length > 0 ? ` ${plural(check.problems.length, 'integrity finding')} from earlier verifications ${check.problems.length === 1 ? 'is' : 'are'} still open.` : ''}</div>`;
  }
  if (check.problems.length === 0) {
    return html`<div class="callout ok"><strong>Integrity re-verified before reporting:</strong> all ${check.total} stored exhibits of the case match the SHA-256 taken at intake (checked ${utc(check.checkedUtc)}).</div>`;
  }
  return html`<div class="callout critical" data-testid="integrity-problems"><strong>INTEGRITY FAILURE found when re-verifying before reporting (${utc(check.checkedUtc)}):</strong>
  ${plural(check.problems.length, 'stored exhibit')} no longer match${check.problems.length === 1 ? 'es' : ''} what was received. Findings about ${check.problems.length === 1 ? 'it' : 'them'} may not describe the original evidence.
  <ul class="plain">${check.problems.map(
    (p) => html`<li>Item ${p.itemId} (${p.originalName})${p.inReport ? '' : ' — not covered by this report'}: ${p.kind === 'hash_mismatch' ? html`hash mismatch, expected <span class="mono">${p.expectedSha256}</span>, found <span class="mono">${p.actualSha256 ?? '—'}</span>` : 'the stored copy is missing'}</li>`,
  )}</ul></div>`;
}
