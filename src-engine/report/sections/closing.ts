// The report's closing parts: limitations and known failure modes, what is needed to reproduce
// the findings, and the state of the audit log the report was made at.
import { html, type SafeHtml } from '../html.ts';
import { idRanges } from '../format.ts';
import type { ReportData } from '../report-data.ts';

export function limitationsPart(data: ReportData): SafeHtml {
  return html`${data.limitations.map((l) => html`<h4>${l.topic}</h4><p>${l.text}</p>`)}`;
}

export function reproducibilityPart(data: ReportData, bundleSha256: string): SafeHtml {
  const r = data.reproducibility;
  return html`<table class="kv">
  <tr><th>Software</th><td>modelprint ${r.softwareVersion}, Node ${r.node}</td></tr>
  <tr><th>Case database schema</th><td>version ${r.databaseSchemaVersion}</td></tr>
  ${Object.entries(r.provenanceTools).map(([tool, version]) => html`<tr><th>${tool}</th><td>${version}</td></tr>`)}
  <tr><th>Fingerprint extractor</th><td>${r.extractor ? html`${r.extractor.name} on ${r.extractor.provider}<br><span class="mono">${r.extractor.sha256}</span>` : 'none installed'}</td></tr>
  ${data.methods.modelCards.map((card) => html`<tr><th>Model card ${card.file}</th><td class="mono">${card.sha256}</td></tr>`)}
  ${r.hashes.filter((h) => h.sha256 !== r.extractor?.sha256).map((h) => html`<tr><th>${h.what}</th><td>${h.name}<br><span class="mono">${h.sha256}</span></td></tr>`)}
  ${Object.entries(r.parameters).map(([name, value]) => html`<tr><th>${name}</th><td>${value}</td></tr>`)}
  <tr><th>Items</th><td>${idRanges(r.itemIds)}</td></tr>
  <tr><th>Sections</th><td>${r.sections.join(', ')}</td></tr>
  <tr><th>Findings digest</th><td class="mono">${data.findingsDigest}</td></tr>
  <tr><th>JSON bundle SHA-256</th><td class="mono">${bundleSha256}</td></tr>
</table>
<p class="muted">Running the same version on the same case with the same choices gives the same findings digest; report ids, times and the custody and audit entries that reporting itself adds are left out of it.</p>`;
}

export function auditPart(data: ReportData): SafeHtml {
  const a = data.audit;
  return html`<table class="kv">
  <tr><th>Entries</th><td>${a.entries}</td></tr>
  <tr><th>Head entry</th><td>${a.headSeq}</td></tr>
  <tr><th>Head hash</th><td class="mono">${a.headHash ?? 'empty log'}</td></tr>
  <tr><th>Chain verification</th><td>${a.chainOk ? html`<span class="badge ok">intact</span> every entry links to the one before it and matches its own hash` : html`<span class="badge critical">BROKEN</span>`}</td></tr>
</table>
${a.problems.length > 0 ? html`<div class="callout critical"><ul class="plain">${a.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
<p class="muted">This report is recorded in the audit log as the entry after entry ${a.headSeq}, with the SHA-256 of this PDF and of its JSON bundle.</p>`;
}
