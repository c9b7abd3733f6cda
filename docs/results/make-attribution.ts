// Writes docs/results/attribution.md from the JSON outputs of `modelprint evaluate` in
// docs/results/data/ (never from hand-typed figures): our measurements beside the published
// figures of the three papers. Run from the repository root:
//   node docs/results/make-attribution.ts
// Inputs: data/eval-bags.json (required), data/fixtures-generated.json (sanity check, optional),
// data/ct-curve-matching.json (C_T curve matching, `modelprint evaluate DIR --curves`; a marked slot without it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttributionEvaluation, BagRow, OpenSetRow } from '../../src-engine/evaluation/attribution-evaluation.ts';
import type { EvaluationReport } from '../../src-engine/evaluation/evaluate-folder.ts';
import type { CurveMatchingReport } from '../../src-engine/evaluation/curve-matching.ts';
import { PAPER_CURVE_IMAGES } from '../../src-engine/ct-curve/curve-record.ts';

const here = import.meta.dirname;
const repoRoot = path.resolve(here, '..', '..');
const dataDir = path.join(here, 'data');

const readReport = (name: string): EvaluationReport | null => {
  const file = path.join(dataDir, name);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as EvaluationReport) : null;
};

import { fixed, PAPER, pct, poolingName, relative, short, signed, table } from './markdown.ts';

/** The command line that reproduces a report (the held-out count stands for any --unknown fraction that gave it). */
function commandLine(report: EvaluationReport, out: string, cache: string): string {
  const unknown = report.attribution?.openSet ? ` --unknown ${report.attribution.openSet.heldOut.length}` : '';
  return `nice -n 10 node bin/modelprint.js --json evaluate ${relative(report.folder)} --seed ${report.seed}${unknown}${cache ? ` ${cache}` : ''} --out docs/results/data/${out} > /dev/null`;
}

function provenance(report: EvaluationReport, label: string): string[] {
  const a = report.attribution;
  return [
    `- ${label}: \`${relative(report.folder)}\`, ${report.generators.length} generators, ${report.images} images, seed ${report.seed}` +
      (report.embeddingCache.loadedFrom ? ' (embeddings from the cache of an earlier run of the same command)' : ''),
    `  - extractor ${report.model.name} sha256 ${short(report.model.sha256)}; set encoder ${a?.setEncoder ? `${a.setEncoder.name} sha256 ${short(a.setEncoder.sha256)}` : 'none'}; ` +
      `calibration ${a?.calibration ? `id ${short(a.calibration.id)} (${a.calibration.description})` : 'none (no calibration)'}`,
  ];
}

function singleImageSection(report: EvaluationReport, fixtures: EvaluationReport | null): string[] {
  const id = report.identification;
  const v = report.verification;
  const f = fixtures;
  return [
    '## 1. Single images: the model-synthesis paper\'s protocols',
    '',
    'Gallery entry = mean embedding of the first 10 images of each generator (file-name order), every other image',
    'classified by the highest cosine (1:N); 5000 same-generator + 5000 different-generator random image pairs scored',
    'by cosine (1:1). Paper: "Ours (Only-Syn)" on unseen emerging real models (Tables VIII, IX, X).',
    '',
    ...table(
      ['metric', 'paper (unseen real models)', `ours: held-out generators (${report.generators.length})`, f ? `ours: real fixtures (${f.generators.length}, sanity only)` : 'real fixtures'],
      [
        ['1:N accuracy %', String(PAPER.synthesis.identificationAccuracy), pct(id?.accuracy), pct(f?.identification?.accuracy)],
        ['1:N macro-F1 %', String(PAPER.synthesis.identificationF1), pct(id?.macroF1), pct(f?.identification?.macroF1)],
        ['1:1 AUC %', String(PAPER.synthesis.verificationAuc), pct(v?.auc), pct(f?.verification?.auc)],
        ['1:1 best accuracy %', String(PAPER.synthesis.verificationAccuracy), pct(v?.bestAccuracy), pct(f?.verification?.bestAccuracy)],
        ['1:1 EER %', '-', pct(v?.eer), pct(f?.verification?.eer)],
        ['silhouette (cosine)', String(PAPER.synthesis.silhouette), fixed(report.clusters?.silhouette), fixed(f?.clusters?.silhouette)],
        ['Davies-Bouldin', String(PAPER.synthesis.daviesBouldin), fixed(report.clusters?.daviesBouldin), fixed(f?.clusters?.daviesBouldin)],
      ],
    ),
    '',
    'The comparison is indicative: the paper tests real GANs, diffusion and text-to-image models with 1000 images each;',
    'we test held-out architectures of our own synthetic generator family. The fixture column has one query image per',
    'generator and repeats its few distinct pairs: it shows the pipeline runs on real generators, not how well.',
  ];
}

function bagRowCells(r: BagRow): string[] {
  const d = r.decorrelation;
  return [
    poolingName(r),
    String(r.bagSize),
    String(r.bags),
    pct(r.identification?.accuracy),
    pct(r.identification?.macroF1),
    pct(r.verification?.auc, 2),
    pct(r.verification?.eer, 2),
    fixed(r.verification?.cllrMin),
    d ? `${d.score.toFixed(4)} (${d.meanOwn.toFixed(3)} / ${d.meanOther.toFixed(3)})` : '-',
  ];
}

function bagSection(a: AttributionEvaluation, report: EvaluationReport): string[] {
  const lines = [
    '## 2. Bags of images: mean pooling vs DeepSets (set-encoder paper)',
    '',
    `Each generator's gallery entry is its first ${report.protocol.gallerySize} images pooled the same way as the bags (mean, or the`,
    'DeepSets encoder over the 10 embeddings). Its other images are shuffled (seeded) and cut into disjoint bags of',
    `${a.protocol.bagSizes.join(', ')} images; each bag is compared by cosine with every gallery entry. Identification = the best`,
    'entry; verification = each bag against its own entry (same source) and every other entry (different source);',
    'Cllr_min from those scores (uncalibrated: the calibration is fitted on real generators, see real-generators.md). At bag size 1 identification is',
    'section 1\'s; its verification scores are image-vs-entry (as attribution compares), not section 1\'s image pairs.',
    '',
    ...table(['pooling', 'bag', 'bags', 'acc. %', 'macro-F1 %', 'AUC %', 'EER %', 'Cllr_min', 'decorrelation (own / other mean abs. r)'], a.rows.map(bagRowCells)),
    '',
  ];
  if (a.comparison.length === 0) lines.push(`${a.notes.find((n) => n.startsWith('DeepSets')) ?? 'DeepSets not evaluated'}.`);
  else {
    lines.push('Which pooling is better, per bag size (by identification accuracy, then AUC; differences are DeepSets minus mean):', '');
    lines.push(
      ...table(
        ['bag', 'better', 'Δ accuracy (points)', 'Δ AUC (points)', 'Δ EER (points)', 'Δ Cllr_min', 'Δ decorrelation'],
        a.comparison.map((c) => [
          String(c.bagSize),
          c.better === 'tie' ? 'tie' : c.better === 'deepsets' ? 'DeepSets' : 'mean',
          signed(c.accuracy.delta, 1, 100),
          signed(c.auc.delta, 2, 100),
          signed(c.eer.delta, 2, 100),
          signed(c.cllrMin.delta, 3),
          signed(c.decorrelation.delta, 4),
        ]),
      ),
    );
  }
  lines.push(
    '',
    `Paper (GM dataset, Tables 2 and 3): decorrelation ${PAPER.setEncoder.decorrelationWithout} without and ${PAPER.setEncoder.decorrelationWith} with the set encoder;`,
    `accuracy ${PAPER.setEncoder.accuracyWithout}% vs ${PAPER.setEncoder.accuracyWith}%, AUC ${PAPER.setEncoder.aucWithout}% vs ${PAPER.setEncoder.aucWith}%; Fig. 4b: the decorrelation score rises with the bag size and`,
    'levels off near 100 images per bag.',
    '',
    '**Decorrelation, exactly as computed.** ' + a.protocol.decorrelation + '. The correlation is Pearson\'s r across the',
    'embedding dimensions (numpy.corrcoef of the two vectors), absolute value, averaged over the generator\'s query bags.',
    'Two cautions when reading it beside the paper: by the formula a perfect rho = I scores 0 (the paper reads a higher',
    'score as more distinct, which holds only while rho\'s diagonal stays near 1), and the 1/M^2 normalisation makes the',
    `score shrink as the number of models grows (here M = ${report.generators.length}), so only values at equal M compare.`,
    'The mean |r| with the own generator\'s fingerprint and with the others\' are given beside',
    'it: the larger the gap, the more distinct the fingerprints.',
  );
  return lines;
}

function calibrationSection(): string[] {
  return [
    '## 3. Calibration',
    '',
    'The likelihood ratios the product states are calibrated on real generators (calibration v2, fitted on the corpus\'s',
    'calibration generators and measured on its validation generators): their figures are in `real-generators.md`. The',
    'synthetic generators here are scored uncalibrated (Cllr_min above: the discrimination alone).',
  ];
}

function openSetSection(a: AttributionEvaluation): string[] {
  const o = a.openSet;
  if (!o) return ['## 4. Open set', '', 'Not evaluated (run with `--unknown`).'];
  return [
    '## 4. Open set: generators the gallery does not know',
    '',
    `${o.heldOut.length} generators were held out of the gallery (chosen by the seed): ${o.heldOut.map((n) => `\`${n}\``).join(', ')};`,
    `${o.galleryGenerators} stay in it. AUROC: the best cosine over the reduced gallery as a known-vs-unknown score (known positive).`,
    'Decision rates with the calibrated rule on real generators: `real-generators.md`.',
    '',
    ...table(['pooling', 'bag', 'AUROC %'], o.rows.map((r) => [poolingName(r), String(r.bagSize), pct(r.maxCosineAuroc, 2)])),
  ];
}

function perClassSection(a: AttributionEvaluation): string[] {
  const single = a.rows.find((r) => r.pooling === 'mean' && r.bagSize === 1);
  if (!single?.identification) return [];
  const { confusion, perClass } = single.identification;
  const confusions = confusion
    .flatMap((row, t) => row.map((count, p) => ({ t, p, count })))
    .filter((c) => c.t !== c.p && c.count > 0)
    .sort((x, y) => y.count - x.count)
    .slice(0, 8);
  const weakest = [...perClass].filter((c) => c.support > 0).sort((x, y) => x.recall - y.recall || x.precision - y.precision).slice(0, 8);
  return [
    '## 5. Per-class figures (single images)',
    '',
    'The full confusion matrices and per-class precision / recall of every pooling and bag size are in',
    '`data/eval-bags.json` (`attribution.rows[].identification`). The least recognised generators:',
    '',
    ...table(['generator', 'queries', 'recall %', 'precision %', 'F1 %'], weakest.map((c) => [`\`${c.generator}\``, String(c.support), pct(c.recall), pct(c.precision), pct(c.f1)])),
    '',
    'The most frequent confusions (true → predicted):',
    '',
    ...table(['true generator', 'predicted as', 'images'], confusions.map((c) => [`\`${perClass[c.t]!.generator}\``, `\`${perClass[c.p]!.generator}\``, String(c.count)])),
  ];
}

function ctSection(curves: CurveMatchingReport | null): string[] {
  const lines = ['## 6. C_T curves: layer-wise fingerprint matching', '', `Paper (Table 1): ${PAPER.ct.fullSetAccuracy}% matching accuracy on the full set, ${PAPER.ct.smallSetAccuracy}% on the small set (L2 + cosine score).`, ''];
  if (curves) return [...lines, ...ctMatchingLines(curves)];
  return [...lines, '<!-- SLOT: C_T curve matching figures: put them in docs/results/data/ct-curve-matching.json (`modelprint evaluate DIR --curves --out ...`) and re-run this script. -->', '', '_C_T curve-matching figures: not yet supplied._'];
}

/** The C_T curve-matching figures of `modelprint evaluate DIR --curves` (data/ct-curve-matching.json). */
function ctMatchingLines(r: CurveMatchingReport): string[] {
  const m = r.matches;
  const sizes = [...new Set(r.generators.flatMap((g) => [g.known.itemCount, g.query.itemCount]))].sort((a, b) => a - b);
  const size = sizes.length === 1 ? String(sizes[0]) : `${sizes[0]}-${sizes.at(-1)}`;
  const ranks = m.queries.map((q) => q.rank ?? 0);
  const rankCount = (k: number) => ranks.filter((x) => x === k).length;
  const worst = Math.max(...ranks, 0);
  const perLayer = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(' / ');
  return [
    `**Our setup (not the paper's).** The paper embedded ${PAPER.ct.referenceImages} reference images per model with ViT-base (12 blocks,`,
    'pretrained on ImageNet), 6 architectures x 3 models of real GANs and diffusion models. We use our own',
    `${r.encoder.layers}-block ViT \`${r.encoder.name}\` (width ${r.encoder.dim}, trained by us; sha256 ${short(r.encoder.sha256)}), its reference set`,
    `(${r.reference.description}) and ${r.generators.length} of our synthetic generators`,
    `(\`training/artifacts/attribution/families/*\` and \`unknown/*\`), ${r.images} images of 128 px. Each generator's images, in`,
    `file-name order, are split into two disjoint halves: the first gives its known curve, the second its query curve (${size}`,
    'images each). Every query curve is scored against all known curves with the paper\'s score (0.5 cos + 0.5 / (1 + L2),',
    `undefined layers read as 0) and matched to the nearest. C_T settings: ${r.ct.cells} cells, ${r.ct.restarts} restarts, PCA to ${r.ct.pcaDimensions}, ${r.ct.distance} distance.`,
    '',
    ...table(
      ['', 'paper (full set)', `ours (${r.generators.length} synthetic generators, ${size} images per curve)`],
      [
        ['top-1 matching accuracy %', String(PAPER.ct.fullSetAccuracy), `${pct(m.accuracy)} (${m.correct}/${m.scored})`],
        ['mean rank of the true generator', '1', fixed(m.meanRank, 2)],
        ['images per reference curve', String(PAPER.ct.referenceImages), size],
      ],
    ),
    '',
    `Rank of the true generator among ${m.known.length} known curves: ${Array.from({ length: worst }, (_, i) => `${rankCount(i + 1)} x rank ${i + 1}`).filter((t) => !t.startsWith('0 ')).join(', ')}.`,
    '',
    ...table(
      ['query generator', 'best known curve', 'rank', 'true score', 'best score'],
      m.queries.map((q) => [`\`${q.name}\``, q.correct ? '(itself)' : `\`${q.best}\``, String(q.rank ?? '-'), fixed(q.trueScore, 4), fixed(q.bestScore, 4)]),
    ),
    '',
    `Per layer (1 to ${r.encoder.layers}), curves with C_T undefined (no kept cell): known ${perLayer(r.undefinedPerLayer.known)}, query ${perLayer(r.undefinedPerLayer.query)}`,
    `(of ${r.generators.length} each); mean kept cells out of ${r.ct.cells}: known ${perLayer(r.meanKeptCells.known, 1)}, query ${perLayer(r.meanKeptCells.query, 1)}.`,
    '',
    `**Read with care.** A cell is kept only when it holds more than 20 of the m images (tau = 20/m), so curves of ${size} images keep`,
    'few cells (the counts above) and each layer\'s C_T rests on one or two cells: the curves are much noisier than the paper\'s',
    `(${PAPER_CURVE_IMAGES} images per query curve, ${PAPER.ct.referenceImages} per reference). Our generators are small synthetic ones, several of them fine-tuned`,
    'copies or close variants of one another, and our encoder is far smaller than ViT-base; the figure is not comparable to the',
    'paper\'s, only a measurement of this pipeline on our data. The full score matrix is in `data/ct-curve-matching.json`',
    '(`matches.scores`, rows = query curves, columns = `matches.known`).',
    '',
    'Reproduce (the evaluation folder holds the 18 generator folders; hard links, because the folder listing skips symbolic links):',
    '',
    '```sh',
    'mkdir -p /tmp/ct2-curves && for g in training/artifacts/attribution/families/*/ training/artifacts/attribution/unknown/*/; do cp -al "${g%/}" /tmp/ct2-curves/; done',
    `nice -n 10 node bin/modelprint.js --json evaluate ${path.relative(repoRoot, r.folder).startsWith('..') ? r.folder : relative(r.folder)} --curves --out docs/results/data/ct-curve-matching.json > /dev/null`,
    '```',
  ];
}

/** The headline findings, in words, each computed from the report. */
function findings(report: EvaluationReport, a: AttributionEvaluation): string[] {
  const lines: string[] = [];
  if (report.identification && report.verification) {
    lines.push(
      `- Single images, ${report.generators.length} held-out generators: 1:N accuracy ${pct(report.identification.accuracy)}% (paper ${PAPER.synthesis.identificationAccuracy}% on unseen real models), ` +
        `1:1 AUC ${pct(report.verification.auc)}% (paper ${PAPER.synthesis.verificationAuc}%).`,
    );
  }
  const mean = (size: number) => a.rows.find((r) => r.pooling === 'mean' && r.bagSize === size);
  const sizes = a.rows.filter((r) => r.pooling === 'mean' && r.identification).map((r) => r.bagSize);
  if (sizes.length > 1) {
    lines.push(`- Bags: mean-pooled 1:N accuracy ${sizes.map((size) => `${pct(mean(size)?.identification?.accuracy)}% at ${size}`).join(', ')} image(s) per bag.`);
  }
  for (const c of a.comparison) lines.push(`- ${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`);
  return lines.length > 0 ? ['## Findings', '', ...lines] : [];
}

export function attributionResults(report: EvaluationReport, fixtures: EvaluationReport | null, curves: CurveMatchingReport | null = null): string {
  const a = report.attribution;
  if (!a) throw new Error('the evaluation report has no attribution section (too few generators)');
  const lines = [
    '# Attribution: measured results beside the papers',
    '',
    '<!-- Generated by `node docs/results/make-attribution.ts` from docs/results/data/*.json: do not edit by hand. -->',
    '',
    'Every figure of ours below comes from the JSON output of `modelprint evaluate` kept in `docs/results/data/`.',
    '',
    ...provenance(report, 'Held-out generators'),
    ...(fixtures ? provenance(fixtures, 'Real-generator fixtures (sanity check)') : []),
    '',
    ...findings(report, a),
    '',
    ...singleImageSection(report, fixtures),
    '',
    ...bagSection(a, report),
    '',
    ...calibrationSection(),
    '',
    ...openSetSection(a),
    '',
    ...perClassSection(a),
    '',
    ...ctSection(curves),
    '',
    '## Reproduce',
    '',
    '```sh',
    commandLine(report, 'eval-bags.json', '--save-embeddings /tmp/eval-bags.npy'),
    ...(fixtures ? [commandLine(fixtures, 'fixtures-generated.json', '')] : []),
    'node docs/results/make-attribution.ts',
    '```',
    '',
    'A re-run with `--embeddings /tmp/eval-bags.npy` instead of `--save-embeddings` skips fingerprinting and gives the same figures.',
    '',
    ...(a.notes.length ? ['Notes from the run:', '', ...a.notes.map((n) => `- ${n}`), ''] : []),
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = readReport('eval-bags.json');
  if (!report) throw new Error(`${path.join(dataDir, 'eval-bags.json')} is missing: run \`modelprint evaluate\` first (see the Reproduce section)`);
  const out = path.join(here, 'attribution.md');
  const curvesFile = path.join(dataDir, 'ct-curve-matching.json');
  const curves = fs.existsSync(curvesFile) ? (JSON.parse(fs.readFileSync(curvesFile, 'utf8')) as CurveMatchingReport) : null;
  fs.writeFileSync(out, attributionResults(report, readReport('fixtures-generated.json'), curves));
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
}
