// The readable form of an evaluation report, for the terminal.
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
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
