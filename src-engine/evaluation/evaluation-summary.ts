// The readable form of an evaluation report, for the terminal.
import type { AttributionEvaluation, BagRow } from './attribution-evaluation.ts';
import type { EvaluationReport } from './evaluate-folder.ts';

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
    'Attribution by bag size (gallery entry and bags pooled alike; disjoint bags of query images; cosine)',
    `  set encoder: ${a.setEncoder ? `${a.setEncoder.name} (sha256 ${a.setEncoder.sha256.slice(0, 16)}...)` : 'none'}`,
    `  calibration: ${a.calibration ? `${a.calibration.file} (id ${a.calibration.id.slice(0, 16)}...)` : 'no calibration'}`,
    `  ${'pooling'.padEnd(8)} ${'bag'.padStart(3)} ${'bags'.padStart(5)}  accuracy  macro-F1    AUC     EER  Cllr_min   Cllr  decorrelation (own / other |r|)`,
  ];
  for (const r of a.rows) {
    const v = r.verification;
    lines.push(
      `  ${pooling(r).padEnd(8)} ${String(r.bagSize).padStart(3)} ${String(r.bags).padStart(5)}  ${cell(r.identification?.accuracy, pct).padStart(8)}  ${cell(r.identification?.macroF1, num).padStart(8)}` +
        `  ${cell(v?.auc, num).padStart(5)}  ${cell(v?.eer, pct).padStart(6)}  ${cell(v?.cllrMin, num).padStart(8)}  ${cell(r.calibrated?.cllr, num).padStart(5)}` +
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
      '  decision on the top candidate\'s calibrated LR (>= 10 attributed, <= 1/10 no known model, else inconclusive)',
      `  ${'pooling'.padEnd(8)} ${'bag'.padStart(3)}  AUROC   known: correct  wrong  inconclusive  rejected   unknown: rejected  inconclusive  attributed`,
    );
    for (const r of o.rows) {
      const d = r.decisions;
      lines.push(
        `  ${pooling(r).padEnd(8)} ${String(r.bagSize).padStart(3)}  ${cell(r.maxCosineAuroc, num).padStart(5)}  ` +
          (d
            ? `       ${pct(d.known.correct).padStart(7)} ${pct(d.known.wrong).padStart(6)} ${pct(d.known.inconclusive).padStart(13)} ${pct(d.known.rejected).padStart(9)}` +
              `            ${pct(d.unknown.rejected).padStart(8)} ${pct(d.unknown.inconclusive).padStart(13)} ${pct(d.unknown.attributed).padStart(11)}`
            : `       ${r.note ?? 'no decisions: not calibrated'}`),
      );
    }
  }
  for (const note of a.notes) lines.push(`note: ${note}`);
  return lines;
}
