// Attribution results for an item or a set of items: the competing propositions, each candidate
// model with its likelihood ratio and verbal equivalent, and the open-set outcome. Until gallery
// attribution exists, the finding says it was not performed.
import { html, type SafeHtml } from '../html.ts';
import type { AttributionFinding } from '../report-data.ts';
import { verbalEquivalent } from '../../calibration/verbal-scale.ts';

const OPEN_SET: Record<'known_model' | 'unknown_model' | 'inconclusive', string> = {
  known_model: 'the item is consistent with a model in the gallery',
  unknown_model: 'the item is not consistent with any model in the gallery (unknown model)',
  inconclusive: 'inconclusive: the evidence does not separate a gallery model from an unknown one',
};

export function attributionFindings(finding: AttributionFinding): SafeHtml {
  if (!finding.performed) return html`<p class="not-performed">${finding.reason}.</p>`;
  return html`<table class="kv">
  <tr><th>First proposition</th><td>${finding.propositions.prosecution}</td></tr>
  <tr><th>Alternative proposition</th><td>${finding.propositions.defence}</td></tr>
  <tr><th>Open-set outcome</th><td>${OPEN_SET[finding.openSet]}</td></tr>
  <tr><th>Gallery</th><td>${finding.galleryVersion}</td></tr>
  <tr><th>Calibration</th><td>${finding.calibration}</td></tr>
</table>
<table>
  <colgroup><col style="width:28%"><col style="width:14%"><col style="width:12%"><col style="width:14%"><col style="width:32%"></colgroup>
  <thead><tr><th>Candidate model</th><th>Family</th><th>Similarity</th><th>Likelihood ratio</th><th>Verbal equivalent</th></tr></thead>
  <tbody>${finding.candidates.map((c) => html`<tr><td>${c.model}</td><td>${c.family ?? '—'}</td><td>${c.similarity.toFixed(3)}</td><td>${formatRatio(c.likelihoodRatio)}</td><td>${verbalEquivalent(Math.log10(c.likelihoodRatio)).wording}</td></tr>`)}</tbody>
</table>`;
}

function formatRatio(ratio: number): string {
  return ratio >= 1000 || ratio < 0.01 ? ratio.toExponential(1) : ratio.toPrecision(3);
}
