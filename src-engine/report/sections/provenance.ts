// One item's provenance: the generator the file claims, C2PA state, format anomalies, the
// contradictions with the pixel-level attribution, then every signal as read.
import { html, type SafeHtml } from '../html.ts';
import { shortened, utc } from '../format.ts';
import type { ItemFindings } from '../report-data.ts';
import { C2PA_TONE, C2PA_WORDING } from '../../api/c2pa-wording.ts';
import type { ClaimedGenerator, ProvenanceSignal } from '../../api/provenance.ts';

export function provenanceFindings(item: ItemFindings): SafeHtml {
  const p = item.provenance;
  if (!p) return html`<p class="not-performed">Provenance not analysed: the case holds no provenance analysis of this item.</p>`;
  const r = p.report;
  return html`<p class="muted">Analysed ${utc(p.analysedUtc)} · ${Object.entries(r.tools).map(([t, v]) => `${t} ${v}`).join(' · ')}</p>
${claimTable(r.claimedGenerator)}
<table class="kv"><tr><th>C2PA content credentials</th><td><span class="badge ${C2PA_TONE[r.c2pa.state]}">${r.c2pa.state.replaceAll('_', ' ')}</span> ${C2PA_WORDING[r.c2pa.state]}${r.c2pa.claimGenerator ? html`<br>claim generator: ${r.c2pa.claimGenerator}` : ''}${r.c2pa.signer ? html`<br>signer: ${r.c2pa.signer.commonName ?? '—'} (issuer ${r.c2pa.signer.issuer ?? '—'}, signed ${r.c2pa.signer.signedUtc ?? '—'})` : ''}${r.c2pa.validationCodes.length ? html`<br><span class="mono">${r.c2pa.validationCodes.join(', ')}</span>` : ''}</td></tr></table>
<h4>Format anomalies</h4>
${r.anomalies.length === 0 ? html`<p class="muted">None found.</p>` : html`<ul class="plain">${r.anomalies.map((a) => html`<li><span class="badge ${a.severity}">${a.severity}</span> ${a.message} <span class="muted">(${a.code})</span></li>`)}</ul>`}
<h4>Comparison with the attribution</h4>
<ul class="plain">${p.contradictions.map((c) => html`<li><span class="badge ${c.severity}">${c.severity === 'info' ? 'note' : 'CONFLICT'}</span> ${c.message}</li>`)}</ul>
${signalTable(r.signals)}`;
}

function claimTable(claim: ClaimedGenerator | null): SafeHtml {
  if (!claim) return html`<p><strong>Claimed generator:</strong> the file names no generator.</p>`;
  return html`<table class="kv">
  <tr><th>Claimed generator tool</th><td>${claim.tool} <span class="muted">(from ${claim.source})</span></td></tr>
  <tr><th>Claimed model</th><td>${claim.model ?? 'not named'}${claim.modelHash ? html` <span class="mono">hash ${claim.modelHash}</span>` : ''}</td></tr>
  <tr><th>LoRAs</th><td>${claim.loras.length === 0 ? 'none named' : claim.loras.map((l) => html`${l.name}${l.weight === null ? '' : ` (weight ${l.weight})`}${l.hash ? html` <span class="mono">${l.hash}</span>` : ''}<br>`)}</td></tr>
  <tr><th>Seed</th><td>${claim.seed ?? 'not given'}</td></tr>
</table>`;
}

function signalTable(signals: readonly ProvenanceSignal[]): SafeHtml {
  if (signals.length === 0) return html`<h4>Signals</h4><p class="muted">The file carries no provenance signals (no metadata, generator text or credentials).</p>`;
  return html`<h4>Signals as read</h4>
<table>
  <colgroup><col style="width:17%"><col style="width:19%"><col style="width:64%"></colgroup>
  <thead><tr><th>Source</th><th>Key</th><th>Value and meaning</th></tr></thead>
  <tbody>${signals.map((s) => html`<tr><td>${s.source}</td><td>${s.key}</td><td><div class="${s.value.length > 80 ? 'prompt' : ''}">${shortened(s.value)}</div>${s.interpretation ? html`<span class="muted">${s.interpretation}</span>` : ''}</td></tr>`)}</tbody>
</table>`;
}
