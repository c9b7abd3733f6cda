// Shared pieces of the generated results documents: number formats, markdown tables, and the
// papers' published figures (citations, not our measurements).
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '-' : (100 * x).toFixed(digits));
export const fixed = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '-' : x.toFixed(digits));
export const signed = (x: number | null | undefined, digits: number, scale = 1) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(x * scale).toFixed(digits)}`);
export const table = (header: string[], rows: string[][]) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
export const poolingName = (row: { pooling: string }) => (row.pooling === 'deepsets' ? 'DeepSets' : 'mean');
export const short = (sha: string) => `\`${sha.slice(0, 16)}…\``;
export const relative = (folder: string) => (path.isAbsolute(folder) ? path.relative(repoRoot, folder) : folder) || '.';

// Published figures, quoted from the papers in ../shared/papers (citations, not our measurements).
export const PAPER = {
  synthesis: { identificationAccuracy: 93.2, identificationF1: 93.11, verificationAccuracy: 85.88, verificationAuc: 92.66, silhouette: 0.19, daviesBouldin: 1.84 },
  setEncoder: { decorrelationWithout: 0.541, decorrelationWith: 0.593, accuracyWithout: 72.2, accuracyWith: 73.8, aucWithout: 70.1, aucWith: 72.9 },
  ct: { fullSetAccuracy: 100, smallSetAccuracy: 83.3, referenceImages: 1000 },
};

