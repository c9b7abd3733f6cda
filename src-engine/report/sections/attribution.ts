// Attribution findings, for an item or a set: the open-set decision worded as the decision rule
// words it, what qualifies it (the evidence's condition, every reason it lies outside what the
// calibration was validated for, the models a tie names), the competing propositions and the
// relevant population, every ranked candidate with its cosine score, calibrated LR and verbal
// equivalent and its flags, and the calibration that produced the LRs with its figures on the
// validation generators and its Tippett plot (the result marked on it).
import { lrText } from '../../api/likelihood-ratio.ts';
import type { AttributedCandidate, Decision } from '../../api/contract.ts';
import { tailBeyond, tippettPlot } from '../figures/tippett-plot.ts';
import { calibrationLabel, percent, plural, signedLog10, utc } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { AttributionRun, ItemFindings, ReportData, ReportedCalibration } from '../report-data.ts';

const DECISION_TITLE: Record<Decision['kind'], string> = {
  attributed: 'Attributed',
  tied: 'Not told apart',
  inconclusive: 'Inconclusive',
  'no-known-model': 'No known model',
};

export function itemAttributionFindings(data: ReportData, item: ItemFindings): SafeHtml {
  const finding = item.attribution;
  if (!finding.performed) return html`<p class="not-performed">${finding.reason}.</p>`;
  const r = finding.result;
  const run = runOf(data, finding.runId);
  const olderGallery = data.attribution.olderGalleryRuns.includes(finding.runId);
  return html`${decisionBox(r.decision, r.referenceOverlap)}
${olderGallery ? html`<div class="callout warning"><strong>Made against an earlier gallery.</strong> This result was computed against gallery snapshot <span class="mono">${run.gallery.sha256}</span>; the gallery has changed since (now <span class="mono">${data.attribution.currentGallerySha256 ?? ''}</span>). It is reported as it was recorded: attribute the item again to weigh it against the current gallery.</div>` : ''}
${qualifiers(r.decision, r.evidenceCondition)}
${claimBeside(item)}
${propositionsTable(run, `the image (item ${item.itemId})`, r.decision.candidate)}
${candidateTable(r.candidates, r.calibrationId)}
${finding.earlierResults > 0 ? html`<p class="muted">The case holds ${plural(finding.earlierResults, 'older result')} for this item; this is the newest.</p>` : ''}
${calibrationBlock(data, r.calibrationId, r.decision)}`;
}

/** What the file says about its own origin, set beside the pixel-level result: two separate lines of evidence. */
function claimBeside(item: ItemFindings): SafeHtml {
  const claim = item.provenance?.report.claimedGenerator;
  if (!claim) return html``;
  return html`<p class="muted">The file's own metadata names ${claim.tool}${claim.model ? html`, model ${claim.model}` : ''} (provenance, above). Metadata can be removed or forged and model names differ between tools: the two are separate lines of evidence, set side by side here and not merged.</p>`;
}

/** The LR as the decision wording states it, its power of ten set as a superscript: 10^7.2 → 10<sup>7.2</sup>. */
export function lrHtml(log10Lr: number): SafeHtml {
  const [base, power] = lrText(log10Lr).split('^');
  return power === undefined ? html`${base}` : html`${base}<sup>${power}</sup>`;
}

export function runOf(data: ReportData, runId: string): AttributionRun {
  const run = data.attribution.runs.find((r) => r.id === runId);
  if (!run) throw new Error(`the report names attribution run ${runId} but does not carry it`);
  return run;
}

/** "A", "A or B", "A, B or C". */
function either(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' or ') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The models a tied decision names: the rule's top candidate and those within a factor of 10 of it. */
function tiedModels(decision: Decision): string[] {
  return decision.kind === 'tied' ? [decision.candidate, ...decision.alsoSupported] : [];
}

function decisionTitle(decision: Decision): string {
  if (decision.kind === 'attributed') return `${DECISION_TITLE.attributed} to ${decision.model}`;
  if (decision.kind === 'tied') return `${DECISION_TITLE.tied}: ${either(tiedModels(decision))}`;
  return DECISION_TITLE[decision.kind];
}

export function decisionBox(decision: Decision, referenceOverlap: string | null): SafeHtml {
  const title = decisionTitle(decision);
  return html`<div class="decision ${decision.kind}"><strong>${title}</strong> · ${decision.kind === 'attributed' ? '' : `top candidate ${decision.candidate}, `}LR ${lrHtml(decision.log10Lr)} (log<sub>10</sub> LR ${signedLog10(decision.log10Lr)})<br>${decision.wording}${
    referenceOverlap ? html`<br><span class="badge warning wrap">reference overlap: ${referenceOverlap} was enrolled from this very evidence</span>` : ''
  }</div>`;
}

/**
 * What the decision rests on beyond the LRs: the evidence's condition as its bytes show it, the
 * models a tie names, every reason the evidence lies outside what the calibration was validated
 * for (the decision is then inconclusive whatever the LRs), and the open-set LR.
 */
export function qualifiers(decision: Decision, evidenceCondition: string): SafeHtml {
  const tied = tiedModels(decision);
  return html`<table class="kv">
  <tr><th>Evidence condition</th><td>${evidenceCondition}</td></tr>
  ${tied.length > 0 ? html`<tr><th>Models not told apart</th><td>${tied.join(', ')} (likelihood ratios within a factor of 10 of each other)</td></tr>` : ''}
  ${decision.openSetLog10Lr !== null ? html`<tr><th>Open set</th><td>LR ${lrHtml(decision.openSetLog10Lr)} (log<sub>10</sub> LR ${signedLog10(decision.openSetLog10Lr)}) for "made by one of the gallery's models" against "made by a model outside the gallery", from the best cosine score.</td></tr>` : ''}
</table>
${
  decision.outOfValidity.length > 0
    ? html`<div class="callout warning"><strong>Outside what the calibration was validated for</strong>, so the result is inconclusive and its likelihood ratios are not reported as evidence:<ul class="plain">${decision.outOfValidity.map((reason) => html`<li>${reason}</li>`)}</ul></div>`
    : ''
}`;
}

/** The propositions every LR below weighs, the population "another model" comes from, and what the run matched against. */
export function propositionsTable(run: AttributionRun, subject: string, candidate: string): SafeHtml {
  return html`<table class="kv">
  <tr><th>Proposition Hp</th><td>${subject} was made by the candidate model: each candidate below in turn; the decision concerns ${candidate}.</td></tr>
  <tr><th>Proposition Hd</th><td>${subject} was made by another model of the relevant population.</td></tr>
  <tr><th>Relevant population, as calibrated</th><td>${run.propositions.population}</td></tr>
  <tr><th>Gallery matched against</th><td>${plural(run.gallery.models, 'model')} · snapshot SHA-256 <span class="mono">${run.gallery.sha256}</span>${
    run.gallery.excluded.length > 0 ? html`<br><span class="muted">Not matched (no fingerprint from this extractor): ${run.gallery.excluded.join(', ')}</span>` : ''
  }</td></tr>
  <tr><th>Attribution run</th><td>${utc(run.createdUtc)} by ${run.actor} · ${run.mode === 'set' ? 'items and set' : 'items'} · <span class="mono">${run.id}</span><br>extractor ${run.extractor.name} <span class="mono">${run.extractor.sha256.slice(0, 16)}…</span></td></tr>
</table>`;
}

/** "moderately strong support for Hp": the verbal scale's band, against the propositions above. */
function verbalShort(c: AttributedCandidate): string {
  if (c.verbal.favours === null) return 'inconclusive (LR between 1/10 and 10)';
  return `${c.verbal.strength} support for ${c.verbal.favours === 'same-model' ? 'Hp' : 'Hd'}`;
}

/** `calibrationId`: the result's calibration; a candidate whose LR came from another entry (its own reference count) says so. */
export function candidateTable(candidates: readonly AttributedCandidate[], calibrationId: string): SafeHtml {
  return html`<table class="candidates">
  <colgroup><col style="width:4%"><col style="width:22%"><col style="width:16%"><col style="width:9%"><col style="width:10%"><col style="width:11%"><col style="width:28%"></colgroup>
  <thead><tr><th>#</th><th>Candidate model</th><th>Family</th><th class="num">Cosine</th><th class="num">LR</th><th class="num">log<sub>10</sub> LR</th><th>Verbal equivalent</th></tr></thead>
  <tbody>${candidates.map(
    (c) => html`<tr><td>${c.rank}</td><td>${c.name}${flags(c, calibrationId)}</td><td>${c.family || '—'}</td><td class="num">${c.score.toFixed(3)}</td><td class="num">${lrHtml(c.log10Lr)}</td><td class="num">${signedLog10(c.log10Lr)}</td><td>${verbalShort(c)}</td></tr>`,
  )}</tbody>
</table>
<p class="muted">Cosine: similarity of the fingerprints, uncalibrated and not a probability. LR: likelihood ratio of Hp against Hd from the calibration below; the verbal equivalent follows the ENFSI scale, with |log10 LR| &lt; 1 worded as inconclusive.</p>`;
}

function flags(c: AttributedCandidate, calibrationId: string): SafeHtml {
  return html`${c.weakReference ? html`<br><span class="badge warning">weak reference: ${plural(c.referenceImages, 'image')}</span>` : ''}${
    c.referenceOverlap ? html`<br><span class="badge warning">reference overlap</span>` : ''
  }${c.calibrationId !== calibrationId ? html`<br><span class="badge info wrap">calibration <span class="mono">${c.calibrationId.slice(0, 12)}…</span> (its reference count)</span>` : ''}`;
}

export function calibrationOf(data: ReportData, calibrationId: string): ReportedCalibration {
  const calibration = data.attribution.calibrations.find((c) => c.calibrationId === calibrationId);
  if (!calibration) throw new Error(`the report names calibration ${calibrationId} but does not carry it`);
  return calibration;
}

/** The calibration's identity, what it is for, its figures on real and on calibration generators, and its Tippett plot with this result marked. */
export function calibrationBlock(data: ReportData, calibrationId: string, decision: Decision): SafeHtml {
  const c = calibrationOf(data, calibrationId);
  const tail = c.tippett && tailBeyond(c.tippett, decision.log10Lr);
  const plotted =
    c.tippettSource === 'validation'
      ? `the likelihood ratios on the ${plural(c.validation?.generators ?? 0, 'validation generator')} (real generators no fitting or choice used)`
      : "the held-out likelihood ratios on the calibration generators (this calibration was not validated on real generators)";
  return html`<div class="calibration"><h4>Calibration used</h4>
<table class="kv">
  <tr><th>Calibration</th><td>${calibrationLabel(c)} · logistic regression · <span class="mono">${c.calibrationId}</span></td></tr>
  <tr><th>Fitted on</th><td>${c.description}<br><span class="muted">${c.sameCount.toLocaleString('en-US')} same-model and ${c.differentCount.toLocaleString('en-US')} different-model comparisons · calibration set <span class="mono">${c.calibrationSetId.slice(0, 16)}…</span></span></td></tr>
  <tr><th>Validation on real generators</th><td>${validationFigures(c)}</td></tr>
  <tr><th>Held-out, calibration generators</th><td>${heldOutFigures(c)}</td></tr>
</table>
${
  c.tippett
    ? html`<figure class="figure chart">${tippettPlot(c.tippett, { log10Lr: decision.log10Lr, label: `this result: ${signedLog10(decision.log10Lr)}` })}<figcaption>Tippett plot of ${plotted}: for each threshold t, the share of same-model (Hp true) and of different-model (Hd true) comparisons with log10 LR ≥ t. Dotted lines: ±1, where the decision rule turns from inconclusive to a finding. Dashed line: this result (${decision.candidate}). ${
        tippettCaptionTail(tail, c.tippettSource === 'validation' ? 'validation' : 'held-out')
      }</figcaption></figure>`
    : html`<p class="not-performed">${c.tippettNote}</p>`
}</div>`;
}

/** The figures that qualify the LRs: measured on generators no fitting or choice used, or "not validated". */
function validationFigures(c: ReportedCalibration): SafeHtml {
  const v = c.validation;
  if (!v) {
    return html`<span class="badge warning">not validated</span> on real generators: likelihood ratios from this calibration are not reported as evidence, and decisions resting on it are inconclusive.`;
  }
  const openSet = v.openSet
    ? html`<br>open set (${plural(v.openSet.bags, 'bag')}, each generator left out of a gallery of the others): ${percent(v.openSet.unknownAttributed)} of unknown generators attributed to a gallery model, ${percent(v.openSet.unknownRejected)} rejected as no known model; ${percent(v.openSet.knownKept)} of known generators attributed to themselves`
    : '';
  return html`On ${plural(v.generators, 'validation generator')} (${v.same.toLocaleString('en-US')} same-model and ${v.different.toLocaleString('en-US')} different-model comparisons): Cllr ${v.cllr.toFixed(3)} · Cllr<sub>min</sub> ${v.cllrMin.toFixed(3)}<br>wrong-model comparisons reaching LR ≥ 10: ${percent(v.differentAtLeast10)}, LR ≥ 100: ${percent(v.differentAtLeast100)} · same-model comparisons with LR ≤ 1/10: ${percent(v.sameAtMostTenth)}<br>misleading evidence: ${percent(v.sameMisleadingRate)} of same-model comparisons with LR &lt; 1, ${percent(v.differentMisleadingRate)} of different-model comparisons with LR &gt; 1${openSet}`;
}

function heldOutFigures(c: ReportedCalibration): SafeHtml {
  const h = c.heldOut;
  if (!h) return html`not measured`;
  return html`Cllr ${h.cllr.toFixed(3)} · Cllr<sub>min</sub> ${h.cllrMin.toFixed(3)} (${h.folds}-fold, generators left out of each fit)<br><span class="muted">misleading evidence: ${percent(h.sameMisleadingRate)} of same-model comparisons with LR &lt; 1, ${percent(h.differentMisleadingRate)} of different-model comparisons with LR &gt; 1</span>`;
}

/** Where the result sits among the plotted comparisons, or that it lies beyond all of them. */
function tippettCaptionTail(tail: ReturnType<typeof tailBeyond>, source: 'validation' | 'held-out'): string {
  if (!tail) return 'The Tippett data do not reach this result.';
  const range = `log10 LR ${tail.above ? '≥' : '<'} ${tail.threshold.toFixed(1)}`;
  if (tail.same === 0 && tail.different === 0) return `No ${source} comparison had ${range}: this result lies beyond the ${source === 'validation' ? 'validation' : 'calibration'} data.`;
  return `With ${range}: ${percent(tail.same)} of same-model and ${percent(tail.different)} of different-model comparisons.`;
}
