// The methods used, each with what it can and cannot say, and the model cards of the installed
// models (training data, test results, known failure modes, weights hash, parameters).
import { html, type SafeHtml } from '../html.ts';
import { markdownToHtml } from '../markdown.ts';
import type { ReportData } from '../report-data.ts';

export function methodsPart(data: ReportData): SafeHtml {
  const m = data.methods;
  const tools = Object.entries(m.provenanceTools);
  return html`<h3>Integrity verification</h3>
<p>Every exhibit was hashed (SHA-256 and MD5) when it was received and stored read-only in the case. Before this report, every stored copy was hashed again and compared with the intake SHA-256.</p>
<h3>Provenance analysis</h3>
<p>Each file's own statements about its origin are read as separate lines of evidence: EXIF, XMP and IPTC metadata (including IPTC DigitalSourceType), text written by generation tools into PNG chunks (Stable Diffusion web UI <code>parameters</code>, ComfyUI <code>prompt</code>/<code>workflow</code>), C2PA content credentials (validated offline; "valid, signer not trusted" is distinct from "valid and trusted"), and format anomalies (extension against content, data after the end marker, signs of re-encoding).</p>
${tools.length > 0
  ? html`<table class="kv">${tools.map(([tool, version]) => html`<tr><th>${tool}</th><td>${version}</td></tr>`)}</table>`
  : html`<p class="not-performed">No provenance analysis is stored for the items in this report.</p>`}
<h3>Spectral fingerprints</h3>
${m.extractor
  ? html`<p>Fingerprints are computed from the Fourier spectrum of each image's noise residual by the installed extractor, without resizing the image.</p>
<table class="kv"><tr><th>Extractor</th><td>${m.extractor.name}</td></tr><tr><th>Weights SHA-256</th><td class="mono">${m.extractor.sha256}</td></tr><tr><th>Embedding dimension</th><td>${m.extractor.embeddingDim}</td></tr><tr><th>Execution provider</th><td>${m.extractor.provider}</td></tr></table>`
  : html`<p class="not-performed">No fingerprint model installed: no spectral fingerprint was computed.</p>`}
<h3>Attribution against a gallery of known models</h3>
<p class="not-performed">Not available in this version: no gallery attribution, likelihood ratios, open-set decision or set fingerprints are computed.</p>
<h3>Model cards</h3>
${m.modelCards.length === 0
  ? html`<p class="not-performed">No model installed: there is no model card to include.</p>`
  : m.modelCards.map((card) => html`<div class="card"><p class="muted">${card.file} · SHA-256 <span class="mono">${card.sha256}</span></p>${markdownToHtml(card.markdown)}</div>`)}`;
}
