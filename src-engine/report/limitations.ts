// Limitations and known failure modes stated in every report: the ones that always hold for the
// methods used, and the ones this case's analyses make true (items left out, analyses not run).
import { calibrationLabel, idRanges, percent, plural } from './format.ts';
import type { AttributionContext, Exhibit, ItemFindings, Limitation, Methods, ReportedPopulation, SetFindings } from './report-data.ts';

const STANDING: readonly Limitation[] = [
  {
    topic: 'Metadata can be removed or forged',
    text:
      'EXIF, XMP, IPTC, PNG text chunks and file names are written by software and can be removed, edited or copied from another file. ' +
      'They are reported as separate lines of evidence, never as proof of origin, and are weighed against the pixel-level analysis.',
  },
  {
    topic: 'Absence of provenance is not evidence of authenticity',
    text:
      'Many services and most editing or sharing steps strip metadata and C2PA manifests. An image without them may still be generated; ' +
      'an image with them may have been re-signed or altered after signing.',
  },
  {
    topic: 'C2PA trust',
    text:
      'C2PA manifests are validated offline. A signature that verifies against its certificate but whose signer is on no trust list configured ' +
      'here is reported as "valid, signer not trusted": this is the common state of genuine manifests and says nothing either way about the signer.',
  },
  {
    topic: 'Re-encoding and resizing',
    text:
      'Spectral fingerprints are traces of a generator\'s upsampling and processing. Lossy re-encoding (JPEG, lossy WebP), resizing, cropping, ' +
      'screenshots and social-media processing weaken or erase them; such items give less reliable fingerprints. The calibration is chosen by the ' +
      'compression the evidence shows; evidence of a kind it does not cover is reported as inconclusive. Resizing and cropping leave no trace the ' +
      'engine can read, so they are not accounted for.',
  },
  {
    topic: 'Open set: only models in the gallery can be named',
    text:
      'Attribution compares the evidence with the models a gallery holds. "Attributed to X" means the evidence supports X over another model of the ' +
      'relevant population; a model outside the gallery that shares X\'s traces (a fine-tune of X, a close relative of the same family) can give the ' +
      'same result. "Not told apart" names two or more gallery models whose likelihood ratios are within a factor of 10 of each other: the evidence fits ' +
      'one of them and the gallery does not say which. "No known model" means none of the gallery\'s models, not that the image is authentic or was not ' +
      'generated. "Inconclusive" is a finding in its own right: the evidence does not separate the candidate from the alternatives, or lies outside what ' +
      'the calibration was validated for.',
  },
];

export function limitationsFor(exhibits: readonly Exhibit[], items: readonly ItemFindings[], methods: Methods, attribution: AttributionContext, set: SetFindings): Limitation[] {
  const found: Limitation[] = [...STANDING];
  const notAnalysable = exhibits.filter((e) => e.status === 'not_analysable');
  if (notAnalysable.length > 0) {
    found.push({
      topic: 'Items that could not be decoded',
      text: `${plural(notAnalysable.length, 'item')} (${notAnalysable.map((e) => `item ${e.itemId}`).join(', ')}) could not be decoded as images: only their hashes, custody and metadata are reported.`,
    });
  }
  const notAnalysed = items.filter((i) => i.provenance === null);
  if (notAnalysed.length > 0) {
    found.push({
      topic: 'Provenance not analysed',
      text: `${plural(notAnalysed.length, 'item')} had no provenance analysis in the case when this report was made (${notAnalysed.map((i) => `item ${i.itemId}`).join(', ')}).`,
    });
  }
  if (methods.extractor === null) {
    found.push({ topic: 'No fingerprint model installed', text: 'No spectral fingerprint extractor was installed: no item was fingerprinted.' });
  } else {
    const missing = items.filter((i) => i.fingerprint.state === 'not_fingerprinted');
    if (missing.length > 0) {
      found.push({
        topic: 'Items not fingerprinted',
        text: `${plural(missing.length, 'item')} had no fingerprint from the installed extractor (${methods.extractor.name}).`,
      });
    }
  }
  found.push(...attributionLimitations(items, attribution, set));
  return found;
}

function attributionLimitations(items: readonly ItemFindings[], attribution: AttributionContext, set: SetFindings): Limitation[] {
  const found: Limitation[] = [];
  if (attribution.olderGalleryRuns.length > 0) {
    const older = new Set(attribution.olderGalleryRuns);
    const affected = items.filter((i) => i.attribution.performed && older.has(i.attribution.runId)).map((i) => `item ${i.itemId}`);
    found.push({
      topic: 'Results made against an earlier gallery',
      text: `${plural(attribution.olderGalleryRuns.length, 'attribution run')} reported here ${attribution.olderGalleryRuns.length === 1 ? 'was' : 'were'} made against another snapshot of the gallery than the one installed now${affected.length > 0 ? ` (${affected.join(', ')})` : ''}: models or references were added, changed or removed since. They are reported as recorded; attributing again weighs the evidence against the current gallery.`,
    });
  }
  const attributed = items.flatMap((i) => (i.attribution.performed ? [{ itemId: i.itemId, finding: i.attribution }] : []));
  if (attributed.length === 0 && set.attributions.length === 0) {
    found.push({
      topic: 'No attribution',
      text: 'The case holds no attribution result for the items of this report: the report states no likelihood ratio and no candidate model.',
    });
  } else {
    found.push({ topic: 'What the calibration population means', text: populationText(attribution) });
    found.push({ topic: 'Measured performance on validation generators', text: validationText(attribution) });
    const unattributed = items.filter((i) => !i.attribution.performed);
    if (unattributed.length > 0) {
      found.push({ topic: 'Items without an attribution result', text: `${plural(unattributed.length, 'item')} (${idRanges(unattributed.map((i) => i.itemId))}) had no attribution result in the case.` });
    }
  }

  const candidates = [...attributed.flatMap((a) => a.finding.result.candidates), ...set.attributions.flatMap((s) => [...s.result.mean.candidates, ...(s.result.deepsets?.candidates ?? [])])];
  const weak = [...new Set(candidates.filter((c) => c.weakReference).map((c) => `${c.name} (${plural(c.referenceImages, 'image')})`))];
  if (weak.length > 0) {
    found.push({
      topic: 'Weak references',
      text:
        `Some gallery models rest on fewer than 10 reference images: ${weak.join(', ')}. Their fingerprints are noisier estimates of their models. ` +
        'Their likelihood ratios come from the calibration for that many reference images (the largest calibrated count not above theirs); below the ' +
        'smallest calibrated count the result is inconclusive. They are flagged "weak reference" wherever they appear.',
    });
  }

  // Item -> the gallery model holding it as a reference (a set result names the items only).
  const overlapping = new Map<number, string | null>(set.attributions.flatMap((s) => s.result.overlappingItems.map((id) => [id, null] as const)));
  for (const a of attributed) if (a.finding.result.referenceOverlap !== null) overlapping.set(a.itemId, a.finding.result.referenceOverlap);
  if (overlapping.size > 0) {
    const listed = [...overlapping].sort(([x], [y]) => x - y).map(([id, model]) => `item ${id}${model ? ` (a reference image of ${model})` : ''}`);
    found.push({
      topic: 'Evidence among the gallery\'s reference images',
      text: `${listed.join(', ')}: a gallery model built from the evidence itself matches it by construction, so that match is not independent evidence of origin.`,
    });
  }

  const earlier = attributed.filter((a) => a.finding.earlierResults > 0);
  const earlierSets = set.attributions.filter((s) => s.earlierResults > 0);
  if (earlier.length > 0 || earlierSets.length > 0) {
    found.push({
      topic: 'Earlier attribution results',
      text:
        `The case also holds older attribution results (${[...byCount(earlier.map((a) => [a.itemId, a.finding.earlierResults])), ...earlierSets.map((s) => `the set of ${s.result.size}: ${plural(s.earlierResults, 'older result')}`)].join('; ')}). ` +
        'This report gives the newest result of each; every result, older ones included, stays recorded in the case and its audit log.',
    });
  }

  const noTippett = attribution.calibrations.filter((c) => c.tippett === null);
  if (noTippett.length > 0) {
    found.push({ topic: 'Tippett data missing', text: `${noTippett[0]!.tippettNote} (${noTippett.map((c) => `${c.pooling}/${c.bagSize}`).join(', ')})` });
  }

  if (set.curve.performed) {
    const record = set.curve.curves.case;
    found.push({
      topic: 'C_T curves are compared, not calibrated',
      text:
        'A set\'s C_T curve and its match scores against the gallery\'s curves are similarities: no calibration turns them into likelihood ratios, so the ' +
        `matches are reported as ranked scores only, and a C_T value is undefined (never 0) at a layer where no cell holds enough of the set's images.` +
        (record.itemCount < record.minimumImages ? ` The curve rests on ${plural(record.itemCount, 'image')}, fewer than the ${record.minimumImages} the method needs for stable values.` : ''),
    });
  }
  return found;
}

/** The calibration population in words, from the installed set when it is the one the runs used, with its generators named. */
function populationText(attribution: AttributionContext): string {
  const installed = attribution.calibrationSets[0];
  const described = [...new Set(attribution.runs.map((r) => r.propositions.population.replace(/\.$/, '')))].join('; ');
  const members = installed && installed.population.members.length > 0 ? ` Its generators: ${names(installed.population)}.` : '';
  const validators = installed ? validatorsText(installed.validationPopulation) : '';
  return (
    'Every likelihood ratio weighs "made by the candidate model" against "made by another model of the relevant population". The calibration that turns ' +
    `cosine scores into likelihood ratios stands for "another model" with the generators it was fitted on. ${described}.${members}${validators} The ratios hold ` +
    'to the extent that the gallery\'s models, the true source of the evidence and the alternatives under consideration resemble these generators; for ' +
    'generators unlike them they are not validated and may overstate or understate the evidence. The measured figures are those of the validation ' +
    'generators, not of the generators of this case.'
  );
}

function names(population: ReportedPopulation): string {
  return population.members.map((m) => m.name).join(', ');
}

/** Where the validation figures come from, in words. */
function validatorsText(population: ReportedPopulation | null): string {
  if (!population) return ' The calibration was not validated on other generators.';
  const listed = population.members.length > 0 ? ` (${names(population)})` : '';
  return ` The validation figures come from other generators, which no fitting or choice used. ${population.description.replace(/\.$/, '')}${listed}.`;
}

/**
 * The measured validation rates of each calibration the reported results used, in words: how often
 * the wrong model reached LR 10 and 100, how often the true one fell to 1/10, and how unknown
 * generators fared in the open set. A calibration without them is said to be unvalidated.
 */
function validationText(attribution: AttributionContext): string {
  const sentences = attribution.calibrations.map((c) => {
    const label = calibrationLabel(c).replace(/^./, (first) => first.toUpperCase());
    const v = c.validation;
    if (!v) return `${label}: not validated on real generators, so results resting on it are inconclusive.`;
    const openSet = v.openSet
      ? ` Left out of a gallery of the others, ${percent(v.openSet.unknownAttributed)} of unknown generators were attributed to a gallery model and ${percent(v.openSet.unknownRejected)} rejected as no known model.`
      : '';
    return (
      `${label}: on ${plural(v.generators, 'validation generator')}, ${percent(v.differentAtLeast10)} of wrong-model comparisons reached LR ≥ 10 and ` +
      `${percent(v.differentAtLeast100)} LR ≥ 100; ${percent(v.sameAtMostTenth)} of same-model comparisons had LR ≤ 1/10 (Cllr ${v.cllr.toFixed(2)}, Cllr_min ${v.cllrMin.toFixed(2)}).${openSet}`
    );
  });
  return (
    'Likelihood ratios can mislead: a wrong model can reach a high LR, the true one a low LR. How often this happened was measured on the validation ' +
    `generators for each calibration the results above used. ${sentences.join(' ')} A case's own evidence can fare worse than these generators did when ` +
    'it is unlike them.'
  );
}

/** "items 8–157: 2 older results each": items grouped by how many older results they have, so the list stays short. */
function byCount(counts: ReadonlyArray<readonly [number, number]>): string[] {
  const groups = new Map<number, number[]>();
  for (const [itemId, count] of counts) groups.set(count, [...(groups.get(count) ?? []), itemId]);
  return [...groups].map(([count, ids]) => `${ids.length === 1 ? 'item' : 'items'} ${idRanges(ids)}: ${plural(count, 'older result')}${ids.length === 1 ? '' : ' each'}`);
}
