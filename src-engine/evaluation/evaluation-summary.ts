// The readable form of an evaluation report, for the terminal.
import type { AttributionEvaluation, BagRow } from './attribution-evaluation.ts';
import type { EvaluationReport } from './evaluate-folder.ts';
import type { RealEvaluation } from './real-evaluation.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => x.toFixed(3);

export function formatEvaluation(report: EvaluationReport): string {
  const lines = [
    `Evaluation of ${report.folder}`,
    `  model ${report.model.name} (sha256 ${report.model.sha256.slice(0, 16)}...) on ${report.model.provider}, seed ${report.seed}`,
    `  ${report.generators.length} generators, ${report.images} images fingerprinted` +
      (report.unreadable.length ? `, ${report.unreadable.length} unreadable` : '') +
      (report.ignoredFiles ? `, ${report.ignoredFiles} non-image entries ignored` : ''),
    '',
    '1:N identification (gallery entry = mean of ' + `${report.protocol.gallerySize} images, cosine)`,
    report.identification
      ? `  accuracy ${pct(report.identification.accuracy)}   macro-F1 ${num(report.identification.macroF1)}   over ${report.identification.queries} queries`
      : '  not possible',
    `1:1 verification (${report.protocol.pairsEach} same + ${report.protocol.pairsEach} different pairs, cosine)`,
    report.verification
      ? `  AUC ${num(report.verification.auc)}   EER ${pct(report.verification.eer)}   best accuracy ${pct(report.verification.bestAccuracy)} at cosine >= ${num(report.verification.bestThreshold)}`
      : '  not possible',
    'Cluster quality (silhouette with cosine distance, Davies-Bouldin Euclidean)',
    report.clusters ? `  silhouette ${num(report.clusters.silhouette)} (higher is better)   Davies-Bouldin ${num(report.clusters.daviesBouldin)} (lower is better)` : '  not possible',
    '',
  ];
  const width = Math.max(9, ...report.generators.map((g) => g.name.length));
  lines.push(`${'generator'.padEnd(width)}  images  gallery  queries  correct  silhouette`);
  for (const g of report.generators) {
    const silhouette = g.silhouette === null ? '-' : num(g.silhouette);
    lines.push(
      `${g.name.padEnd(width)}  ${String(g.images).padStart(6)}  ${String(g.gallery).padStart(7)}  ${String(g.queries).padStart(7)}  ${String(g.correct).padStart(7)}  ${silhouette.padStart(10)}` +
        (g.note ? `  (${g.note})` : ''),
    );
  }
  for (const u of report.unreadable) lines.push(`unreadable: ${u.file}: ${u.message}`);
  if (report.real) lines.push('', ...formatReal(report.real));
  if (report.attribution) lines.push('', ...formatAttribution(report.attribution));
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

const cell = (x: number | null | undefined, f: (x: number) => string) => (x === null || x === undefined ? '-' : f(x));
const pooling = (row: { pooling: string }) => (row.pooling === 'deepsets' ? 'DeepSets' : 'mean');

/** The worst-recognised generators of a row (lowest recall, then lowest precision), for the terminal; the JSON has all. */
function weakest(row: BagRow, count: number): string[] {
  const classes = row.identification?.perClass.filter((c) => c.support > 0) ?? [];
  return [...classes]
    .sort((a, b) => a.recall - b.recall || a.precision - b.precision)
    .slice(0, count)
    .map((c) => `${c.generator} recall ${pct(c.recall)} precision ${pct(c.precision)}`);
}

function formatAttribution(a: AttributionEvaluation): string[] {
  const lines = [
    'Attribution by bag size, uncalibrated (gallery entry and bags pooled alike; disjoint bags of query images; cosine; calibrated figures: the condition rows below)',
    `  set encoder: ${a.setEncoder ? `${a.setEncoder.name} (sha256 ${a.setEncoder.sha256.slice(0, 16)}...)` : 'none'}`,
    `  ${'pooling'.padEnd(8)} ${'bag'.padStart(3)} ${'bags'.padStart(5)}  accuracy  macro-F1    AUC     EER  Cllr_min  decorrelation (own / other |r|)`,
  ];
  for (const r of a.rows) {
    const v = r.verification;
    lines.push(
      `  ${pooling(r).padEnd(8)} ${String(r.bagSize).padStart(3)} ${String(r.bags).padStart(5)}  ${cell(r.identification?.accuracy, pct).padStart(8)}  ${cell(r.identification?.macroF1, num).padStart(8)}` +
        `  ${cell(v?.auc, num).padStart(5)}  ${cell(v?.eer, pct).padStart(6)}  ${cell(v?.cllrMin, num).padStart(8)}` +
        `  ${r.decorrelation ? `${r.decorrelation.score.toFixed(4)} (${num(r.decorrelation.meanOwn)} / ${num(r.decorrelation.meanOther)})` : '-'}` +
        (r.note ? `  (${r.note})` : ''),
    );
  }
  for (const c of a.comparison) lines.push(`  ${c.summary}`);
  const single = a.rows.find((r) => r.pooling === 'mean' && r.bagSize === 1);
  if (single?.identification) lines.push(`  least recognised single images: ${weakest(single, 3).join('; ')}`);
  if (a.openSet) {
    const o = a.openSet;
    lines.push(
      `Open set: ${o.heldOut.length} generator${o.heldOut.length === 1 ? '' : 's'} held out of the gallery (${o.heldOut.join(', ')}), ${o.galleryGenerators} in it`,
      `  ${'pooling'.padEnd(8)} ${'bag'.padStart(3)}  AUROC of the best cosine (known bags positive); decisions: the condition rows below`,
    );
    for (const r of o.rows) lines.push(`  ${pooling(r).padEnd(8)} ${String(r.bagSize).padStart(3)}  ${cell(r.maxCosineAuroc, num).padStart(5)}${r.note ? `  (${r.note})` : ''}`);
  }
  for (const note of a.notes) lines.push(`note: ${note}`);
  return lines;
}

/** The condition rows: leave-one-out, calibrated as `attribute` would, with misleading-evidence rates and decisions. */
export function formatReal(real: RealEvaluation): string[] {
  const lines = [
    'Real-data figures per condition (leave-one-out; LRs of the shipped calibration; outside what was validated: no LR)',
    `  relevant population: ${real.calibration?.population ?? 'no calibration'}`,
    `  calibration validated on: ${real.calibration?.validationPopulation ?? '-'}`,
    `  ${'condition'.padEnd(14)} ${'scheme'.padEnd(8)} ${'bags'.padStart(5)}  1:N acc    AUC  Cllr_min   Cllr  no-LR  wrong LR>=10  >=100  same LR<=1/10 | closed: correct wrong tied incon. | unknowns: attributed tied rejected`,
  ];
  for (const r of real.rows) {
    const c = r.calibrated;
    const scheme = r.pooling === 'single' ? 'single' : `mean/${r.bagSize}`;
    lines.push(
      `  ${r.condition.padEnd(14)} ${scheme.padEnd(8)} ${String(r.bags).padStart(5)}  ${cell(r.identification?.accuracy, pct).padStart(7)}  ${cell(r.verification?.auc, num).padStart(5)}  ${cell(r.verification?.cllrMin, num).padStart(8)}` +
        (c
          ? `  ${num(c.cllr).padStart(5)}  ${pct(c.outOfValidity).padStart(5)}  ${pct(c.differentAtLeast10).padStart(12)}  ${pct(c.differentAtLeast100).padStart(5)}  ${pct(c.sameAtMostTenth).padStart(13)} |` +
            ` ${pct(c.closedSet.correct).padStart(14)} ${pct(c.closedSet.wrong).padStart(5)} ${pct(c.closedSet.tied).padStart(4)} ${pct(c.closedSet.inconclusive).padStart(6)} |` +
            (c.openSet ? ` ${pct(c.openSet.wrong).padStart(20)} ${pct(c.openSet.tied).padStart(4)} ${pct(c.openSet.rejected).padStart(8)}` : ' -')
          : '  (uncalibrated)') +
        (r.note ? `  (${r.note})` : ''),
    );
  }
  return lines;
}
