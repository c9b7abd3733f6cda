// One item's spectral fingerprint figures: the 2D spectrum and its radial profile.
import { radialPlot } from '../figures/radial-plot.ts';
import { spectrumPngDataUri } from '../figures/spectrum-image.ts';
import { html, type SafeHtml } from '../html.ts';
import { utc } from '../format.ts';
import type { FingerprintFinding } from '../report-data.ts';

export async function spectraFindings(finding: FingerprintFinding): Promise<SafeHtml> {
  if (finding.state === 'not_fingerprinted') return html`<p class="not-performed">${finding.reason}</p>`;
  const f = finding.facts;
  const facts = html`<p class="muted">Fingerprinted ${utc(f.computedUtc)} by ${f.modelName} (<span class="mono">${f.modelSha256.slice(0, 16)}…</span>) on ${f.provider}, ${f.crops} crops.</p>`;
  const s = finding.spectrum;
  if (!s) return html`${facts}<p class="not-performed">No spectrum figures: the spectra could not be computed for this report.</p>`;
  const png = await spectrumPngDataUri(s.spectrum2d.size, s.spectrum2d.values);
  return html`${facts}
<div class="figures">
  <figure class="figure spectrum2d"><img src="${png}" alt="2D spectrum"><figcaption>2D log-magnitude spectrum of the noise residual, centred (DC in the middle), mean of ${s.crops} crops.</figcaption></figure>
  <figure class="figure radial">${radialPlot(s.radial.frequency, s.radial.power)}<figcaption>Azimuthally averaged power spectrum. Peaks away from 0 are periodic traces of the generator's upsampling.</figcaption></figure>
</div>`;
}
