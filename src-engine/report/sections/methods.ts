// The methods used, each with what it can and cannot say, and the model cards of the installed
// models (training data, test results, known failure modes, weights hash, parameters).
import { DECISION_LOG10_LR } from '../../calibration/decision.ts';
import { calibrationLabel, plural, utc } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { markdownToHtml } from '../markdown.ts';
import { HASH_SET_CATEGORY_WORDS } from '../../api/hash-sets.ts';
import type { ReportData, ReportedPopulation } from '../report-data.ts';

/** The hash sets consulted: every exhibit's intake SHA-256 and MD5 were looked up in each. */
function hashSetMethods(data: ReportData): SafeHtml {
  const sets = data.methods.hashSets;
  return html`<h3>Hash sets</h3>
${sets.length === 0
  ? html`<p class="not-performed">No hash set was in the library when this report was made: no exhibit was compared with a list of known files.</p>`
  : html`<p>Every exhibit's intake SHA-256 and MD5 were looked up in each hash set of the library. A listing says the exact file is on a list someone made; it says nothing about files that are not listed, and a list is only as reliable as its source.</p>
<table>
  <thead><tr><th>Set</th><th>Category</th><th>Imported from</th><th>Hashes</th></tr></thead>
  <tbody>${sets.map((s) => html`<tr><td>${s.name}</td><td>${HASH_SET_CATEGORY_WORDS[s.category]}</td><td>${s.sourceName} (${s.format === 'nsrl-rds' ? 'NSRL RDS CSV' : 'plain list'}), imported ${utc(s.importedUtc)} by ${s.importedBy}<br><span class="muted">SHA-256 <span class="mono">${s.sourceSha256}</span></span></td><td>${s.sha256Count.toLocaleString('en-US')} SHA-256, ${s.md5Count.toLocaleString('en-US')} MD5${s.badLineCount > 0 ? html`<br><span class="muted">${plural(s.badLineCount, 'line')} not read as hashes</span>` : ''}</td></tr>`)}</tbody>
</table>`}`;
}

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
${hashSetMethods(data)}
${attributionMethods(data)}
<h3>Model cards</h3>
${m.modelCards.length === 0
  ? html`<p class="not-performed">No model installed: there is no model card to include.</p>`
  : m.modelCards.map((card) => html`<div class="card"><p class="muted">${card.file} · SHA-256 <span class="mono">${card.sha256}</span></p>${markdownToHtml(card.markdown)}</div>`)}`;
}

/** The generators behind a population, one row each: "another model" means a model like these. */
function populationTable(title: string, population: ReportedPopulation): SafeHtml {
  // Descriptions name themselves ("Calibration population: …"); under the heading that would be said twice.
  const described = population.description.toLowerCase().startsWith(`${title.toLowerCase()}:`) ? population.description.slice(title.length + 1).trim() : population.description;
  return html`<h4>${title}</h4>
<p>${described}</p>
${
  population.members.length === 0
    ? html`<p class="not-performed">The calibration file lists no generators for it.</p>`
    : html`<table class="candidates">
  <colgroup><col style="width:28%"><col style="width:18%"><col style="width:10%"><col style="width:44%"></colgroup>
  <thead><tr><th>Generator</th><th>Family</th><th class="num">Images</th><th>Source</th></tr></thead>
  <tbody>${population.members.map((m) => html`<tr><td>${m.name}</td><td>${m.family || '—'}</td><td class="num">${m.images.toLocaleString('en-US')}</td><td>${m.source}</td></tr>`)}</tbody>
</table>`
}`;
}

function attributionMethods(data: ReportData): SafeHtml {
  const { runs, calibrations, calibrationSets } = data.attribution;
  const m = data.methods;
  const galleries = [...new Map(runs.map((r) => [r.gallery.sha256, r.gallery])).values()];
  return html`<h3>Attribution against a gallery of known models</h3>
<p>Each image's fingerprint is compared by cosine similarity with every gallery model's fingerprint (the mean of the fingerprints of its reference images). A calibration turns each cosine score into a likelihood ratio (LR) for the proposition Hp, "made by the candidate model", against Hd, "made by another model of the relevant population". The relevant population is the calibration population: the real generators the calibration was fitted on, listed below. There is one calibration per way of scoring (a single image, or a set by mean pooling or DeepSets), bag size, number of reference images behind the gallery entry and compression class of the evidence; each was measured on validation generators, real generators that no fitting or choice used, and those figures qualify its LRs.</p>
<p>The open-set decision rule, in order: evidence outside what the calibration was validated for (a compression class or image size it does not cover, a gallery entry on fewer reference images than it starts at, a calibration not validated or failing validation) is inconclusive, with the reasons stated; "no known model" when the best match is as weak as matches of generators outside the gallery usually are (open-set LR ≤ 1/10) or when the top candidate's log10 LR ≤ −${DECISION_LOG10_LR}; attributed to the top candidate when its log10 LR ≥ ${DECISION_LOG10_LR} and the runner-up's LR is at least 10 times smaller (other models at LR ≥ 10 are named as also supported); "not told apart" when the top two are within a factor of 10 of each other at that level (both named, neither alone); anything else is inconclusive. Verbal equivalents follow the ENFSI guideline for evaluative reporting (2015); an LR between 1/10 and 10 is worded as inconclusive. The strength of the evidence is reported, never the probability of a proposition.</p>
${
  runs.length === 0
    ? html`<p class="not-performed">No attribution result is stored for the items of this report.</p>`
    : html`<table class="kv">
  ${galleries.map(
    (g) =>
      html`<tr><th>Gallery snapshot</th><td>${plural(g.models, 'model')} · SHA-256 <span class="mono">${g.sha256}</span>${
        g.weakReferences.length > 0 ? html`<br><span class="muted">weak references (fewer than 10 images): ${g.weakReferences.join(', ')}</span>` : ''
      }</td></tr>`,
  )}
  ${[...new Map(runs.map((r) => [r.calibration.id, r.calibration])).values()].map((c) => {
    const installed = calibrationSets.find((set) => set.id === c.id);
    return html`<tr><th>Calibration set</th><td><span class="mono">${c.id}</span><br>created ${utc(c.createdUtc)} · file SHA-256 <span class="mono">${c.fileSha256}</span>${
      installed
        ? html`<br>fitted on: ${installed.data.description}<br><span class="muted">${plural(installed.data.generators, 'generator')}, ${plural(installed.data.images, 'image')}, folder ${installed.data.folder}${
            installed.data.manifestSha256 ? html`, manifest SHA-256 <span class="mono">${installed.data.manifestSha256}</span>` : ''
          }<br>${installed.protocol}</span>${installed.notes.map((note) => html`<br><span class="muted">${note}</span>`)}`
        : html`<br><span class="muted">not the installed calibration set: its data and protocol are as each result records them</span>`
    }</td></tr>`;
  })}
  <tr><th>Calibrations used</th><td>${calibrations.map((c) => html`${calibrationLabel(c)}: <span class="mono">${c.calibrationId}</span>${c.validation ? '' : html` <span class="badge warning">not validated</span>`}<br>`)}</td></tr>
</table>
${calibrationSets.map(
  (set) =>
    html`${populationTable('Calibration population', set.population)}${
      set.validationPopulation
        ? populationTable('Validation population', set.validationPopulation)
        : html`<h4>Validation population</h4><p class="not-performed">None: the calibration was not validated on real generators, so its results are inconclusive.</p>`
    }`,
)}`
}
<h3>Set fingerprints</h3>
<p>A set of images from one source is fingerprinted as a whole in two ways: the mean of its images' fingerprints (mean pooling), and a DeepSets encoder (phi, mean, rho) trained with the contrastive bag loss of the set-encoder paper. Each has its own calibration per bag size; a set uses the largest calibrated bag size not above its size.</p>
<table class="kv"><tr><th>Set encoder</th><td>${m.setEncoder ? html`${m.setEncoder.name} · weights SHA-256 <span class="mono">${m.setEncoder.sha256}</span> (model card below)` : 'not used by any reported result'}</td></tr></table>
<h3>C<sub>T</sub> curves</h3>
<p>The C<sub>T</sub> statistic (Meehan, Chaudhuri and Dasgupta, 2020) measures, in each cell of a KMeans partition of a reference training set T, whether the set's images lie farther from T than held-out real images P do (a Mann-Whitney z), weighted over the cells that hold enough of the set. Computed on the CLS token after every block of a layered ViT encoder, it gives a curve per set, matched against the gallery models' curves.</p>
${
  m.layeredEncoder && m.ctReference
    ? html`<table class="kv"><tr><th>Layered encoder</th><td>${m.layeredEncoder.name}, ${plural(m.layeredEncoder.layers, 'layer')} · weights SHA-256 <span class="mono">${m.layeredEncoder.sha256}</span> (model card below)</td></tr>
<tr><th>Reference set</th><td>${m.ctReference.description} · ${m.ctReference.tCount.toLocaleString('en-US')} T, ${m.ctReference.pCount.toLocaleString('en-US')} P · SHA-256 <span class="mono">${m.ctReference.sha256}</span></td></tr></table>`
    : html`<p class="not-performed">No C<sub>T</sub> curve is reported.</p>`
}`;
}
