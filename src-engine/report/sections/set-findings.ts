// Findings about sets of items: the set's attribution by mean pooling and by DeepSets (each with
// its decision, candidates and calibration), the 1:1 comparisons of two sets the case recorded,
// and the set's C_T curve against the gallery's curves with the ranked matches. Layers where
// C_T is undefined are stated as undefined.
import type { Decision, SetAttribution, SetMethodAttribution } from '../../api/contract.ts';
import { ctCurvePlot } from '../figures/ct-curve-plot.ts';
import { idRanges, plural, signedLog10, utc } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { CurveFinding, ReportData, ReportedVerification, SetFindings } from '../report-data.ts';
import { calibrationBlock, candidateTable, decisionBox, lrHtml, propositionsTable, qualifiers, runOf } from './attribution.ts';

export function setFindingsPart(data: ReportData): SafeHtml {
  const set = data.set;
  return html`<h3>Attribution of a set</h3>
${set.attributions.length === 0 ? html`<p class="not-performed">${set.attributionNote}.</p>` : set.attributions.map((a) => setAttribution(data, a))}
<h3>1:1 comparison of two sets</h3>
${set.verifications.length === 0 ? html`<p class="not-performed">not performed: the case records no 1:1 comparison of two sets within this report's items.</p>` : set.verifications.map(verification)}
<h3>C<sub>T</sub> curve of the set</h3>
${curveSection(set.curve)}`;
}

function setAttribution(data: ReportData, entry: SetFindings['attributions'][number]): SafeHtml {
  const { result, runId } = entry;
  const run = runOf(data, runId);
  const subject = `the set of ${result.size} images (items ${idRanges(result.itemIds)})`;
  return html`<h4>Set of ${plural(result.size, 'item')}: ${idRanges(result.itemIds)}</h4>
${propositionsTable(run, subject, result.mean.decision.candidate)}
${entry.earlierResults > 0 ? html`<p class="muted">The case holds ${plural(entry.earlierResults, 'older result')} for this set; this is the newest.</p>` : ''}
${agreement(result)}
<h4>Mean pooling</h4>
<p class="muted">The set's fingerprint is the mean of its images' fingerprints, compared with each gallery model's mean reference fingerprint; calibrated for bags of ${result.mean.bagSize}.</p>
${method(data, result.mean)}
<h4>DeepSets set encoder</h4>
${
  result.deepsets
    ? html`<p class="muted">The set's fingerprint is the DeepSets encoding of its images' fingerprints (${run.setEncoder ? html`${run.setEncoder.name}, <span class="mono">${run.setEncoder.sha256.slice(0, 16)}…</span>` : 'set encoder'}), compared with each gallery model's encoded reference images; calibrated for bags of ${result.deepsets.bagSize}.</p>${method(data, result.deepsets)}`
    : html`<p class="not-performed">${result.deepsetsNote ?? 'DeepSets not used.'}</p>`
}`;
}

function method(data: ReportData, m: SetMethodAttribution): SafeHtml {
  return html`${decisionBox(m.decision, m.referenceOverlap)}${qualifiers(m.decision, m.evidenceCondition)}${candidateTable(m.candidates, m.calibrationId)}${calibrationBlock(data, m.calibrationId, m.decision)}`;
}

/** A decision in a few words: "attributed to X", "not told apart (X, Y)", "no known model". */
function decisionText(d: Decision): string {
  if (d.kind === 'attributed') return `attributed to ${d.model}`;
  if (d.kind === 'tied') return `not told apart (${[d.candidate, ...d.alsoSupported].join(', ')})`;
  return d.kind.replaceAll('-', ' ');
}

/** Whether the two poolings reach the same conclusion: a disagreement is itself a finding. */
function agreement(result: SetAttribution): SafeHtml {
  const mean = result.mean.decision;
  const deepsets = result.deepsets?.decision;
  if (!deepsets) return html`<p>Only mean pooling was applied: ${decisionText(mean)}.</p>`;
  const text = decisionText;
  // A tie names its models in LR order; the two poolings agree when they name the same ones.
  const named = (d: Decision) => `${d.kind}:${d.model ?? ''}:${d.kind === 'tied' ? [d.candidate, ...d.alsoSupported].sort().join(',') : ''}`;
  if (named(mean) === named(deepsets)) {
    return html`<p><strong>Both poolings agree:</strong> ${text(mean)} (mean pooling LR ${lrHtml(mean.log10Lr)}, DeepSets LR ${lrHtml(deepsets.log10Lr)}).</p>`;
  }
  return html`<div class="callout warning"><strong>The poolings disagree:</strong> mean pooling — ${text(mean)} (LR ${lrHtml(mean.log10Lr)}); DeepSets — ${text(deepsets)} (LR ${lrHtml(deepsets.log10Lr)}). Both are reported; neither overrides the other.</div>`;
}

function verification(v: ReportedVerification): SafeHtml {
  const row = (label: string, s: ReportedVerification['mean']) =>
    html`<tr><td>${label}</td><td class="num">${s.score.toFixed(3)}</td><td class="num">${lrHtml(s.log10Lr)}</td><td class="num">${signedLog10(s.log10Lr)}</td><td>${s.strength === 'inconclusive' ? 'inconclusive (LR between 1/10 and 10)' : `${s.strength} support for ${s.log10Lr > 0 ? 'the same model' : 'different models'}`}</td><td>bag of ${s.bagSize} · <span class="mono">${s.calibrationId.slice(0, 12)}…</span></td></tr>`;
  return html`<h4>Set A (${plural(v.sizeA, 'item')}: ${idRanges(v.a)}) against set B (${plural(v.sizeB, 'item')}: ${idRanges(v.b)})</h4>
<p class="muted">Recorded ${utc(v.atUtc)} by ${v.actor} (audit entry ${v.auditSeq}) · calibration set <span class="mono">${v.calibrationSetId.slice(0, 16)}…</span></p>
<table class="kv">
  <tr><th>Proposition Hp</th><td>both sets were made by the same model</td></tr>
  <tr><th>Proposition Hd</th><td>the two sets were made by two different models of the relevant population</td></tr>
</table>
<table class="candidates">
  <colgroup><col style="width:12%"><col style="width:9%"><col style="width:11%"><col style="width:11%"><col style="width:31%"><col style="width:26%"></colgroup>
  <thead><tr><th>Pooling</th><th class="num">Cosine</th><th class="num">LR</th><th class="num">log<sub>10</sub> LR</th><th>Verbal equivalent</th><th>Calibration</th></tr></thead>
  <tbody>${row('mean', v.mean)}${v.deepsets ? row('DeepSets', v.deepsets) : ''}</tbody>
</table>
<p>${v.wording}</p>
${v.deepsetsNote ? html`<p class="muted">${v.deepsetsNote}</p>` : ''}
${v.notes.length > 0 ? html`<ul class="plain">${v.notes.map((n) => html`<li class="muted">${n}</li>`)}</ul>` : ''}`;
}

function curveSection(finding: CurveFinding): SafeHtml {
  if (!finding.performed) return html`<p class="not-performed">${finding.reason}.</p>`;
  const { encoder, reference, case: record, gallery, matches } = finding.curves;
  const undefinedLayers = record.values.flatMap((v, i) => (v === null ? [i + 1] : []));
  const families = new Map(gallery.map((g) => [g.model, g]));
  return html`<table class="kv">
  <tr><th>Images in the curve</th><td>${plural(record.itemCount, 'item')}: ${idRanges(finding.itemIds)}${record.itemCount < record.minimumImages ? html` <span class="badge warning">fewer than the ${record.minimumImages} the method needs</span>` : ''}<br><span class="muted">computed ${utc(record.computedUtc)} · curve <span class="mono">${finding.curveId}</span> · record SHA-256 <span class="mono">${finding.recordSha256}</span></span></td></tr>
  <tr><th>Layered encoder</th><td>${encoder.name}, ${plural(encoder.layers, 'layer')} · <span class="mono">${encoder.sha256}</span></td></tr>
  <tr><th>Reference set</th><td>${reference.description}<br>${reference.tCount.toLocaleString('en-US')} T and ${reference.pCount.toLocaleString('en-US')} P embeddings · <span class="mono">${reference.sha256}</span></td></tr>
  ${record.note ? html`<tr><th>Note</th><td>${record.note}</td></tr>` : ''}
</table>
<figure class="figure chart">${ctCurvePlot(
    { label: `this set (${record.itemCount} images)`, values: record.values },
    gallery.map((g) => ({ label: g.model, values: g.values })),
    matches.map((m) => m.model),
  )}<figcaption>C<sub>T</sub> per encoder layer: above 0 the set is farther from the reference training set T than held-out real images are, below 0 closer. Black: this set; coloured: the three best-matching gallery curves; grey: the other gallery curves. ${
    undefinedLayers.length > 0 ? html`Crosses: layers where the set's C<sub>T</sub> is undefined.` : ''
  }</figcaption></figure>
${
  undefinedLayers.length > 0
    ? html`<p><strong>Undefined layers:</strong> C<sub>T</sub> is undefined at ${undefinedLayers.length === 1 ? 'layer' : 'layers'} ${undefinedLayers.join(', ')}: no cell of the reference partition held more than 20/m of the set's images there. Undefined values are not zero; matching treats them as the method prescribes (0 in the score).</p>`
    : html`<p>C<sub>T</sub> is defined at every layer.</p>`
}
<table class="candidates layers">
  <colgroup><col style="width:20%">${record.values.map(() => html`<col>`)}</colgroup>
  <thead><tr><th>Layer</th>${record.values.map((_, i) => html`<th class="num">${i + 1}</th>`)}</tr></thead>
  <tbody><tr><td>C<sub>T</sub> of this set</td>${record.values.map((v) => html`<td class="num">${v === null ? 'undef.' : v.toFixed(2)}</td>`)}</tr>
  <tr><td>Cells kept</td>${record.keptCells.map((k) => html`<td class="num">${k}</td>`)}</tr></tbody>
</table>
<h4>Matches against the gallery's curves</h4>
${
  matches.length === 0
    ? html`<p class="not-performed">No gallery model has a C<sub>T</sub> curve from this encoder and reference set: nothing to match.</p>`
    : html`<table class="candidates">
  <colgroup><col style="width:6%"><col style="width:36%"><col style="width:28%"><col style="width:16%"><col style="width:14%"></colgroup>
  <thead><tr><th>#</th><th>Gallery model</th><th>Family</th><th class="num">Images in its curve</th><th class="num">Match score</th></tr></thead>
  <tbody>${matches.map((m, i) => html`<tr><td>${i + 1}</td><td>${m.model}</td><td>${families.get(m.model)?.family || '—'}</td><td class="num">${families.get(m.model)?.imageCount ?? '—'}</td><td class="num">${m.score.toFixed(3)}</td></tr>`)}</tbody>
</table>
<p class="muted">Match score: 0.5 · cosine + 0.5 / (1 + Euclidean distance) between the curves, undefined layers counted as 0 (docs/methods.md §2). It ranks the gallery's curves by similarity; it is not a calibrated likelihood ratio.</p>`
}`;
}
