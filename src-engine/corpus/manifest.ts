// The corpus's written record: manifest.tsv (one row per image: where it came from, its hashes,
// what it is), corpus.json (per source, split and generator counts, every skip and why) and a
// manifest.json per split folder whose `about` calibrate and evaluate quote. All are byte-identical
// for the same inputs: sorted rows, sorted keys, no timestamps, no absolute paths, integers only.
import type { Kind, Split } from './definition.ts';

export interface ManifestRow {
  /** Relative to the corpus folder, '/'-separated. */
  file: string;
  kind: Kind;
  generator: string;
  family: string;
  split: Split;
  repo: string;
  commit: string;
  path: string;
  /** Of the written file. */
  sha256: string;
  /** Of the published file (differs from sha256 only for a tile). */
  sourceSha256: string;
  format: string;
  width: number;
  height: number;
  lossy: boolean;
  /** '' or "r,c of RxC" (1-based row and column, R rows by C columns). */
  tile: string;
  notes: string;
}

export const TSV_COLUMNS = ['file', 'kind', 'generator', 'family', 'split', 'repo', 'commit', 'path', 'sha256', 'source_sha256', 'format', 'width', 'height', 'lossy', 'tile', 'notes'] as const;

/** Byte order, not locale order: the same on every machine. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cell(value: string | number | boolean): string {
  return String(value).replace(/[\t\r\n]+/g, ' ');
}

export function formatTsv(rows: readonly ManifestRow[]): string {
  const lines = [TSV_COLUMNS.join('\t')];
  for (const r of [...rows].sort((a, b) => byCodePoint(a.file, b.file))) {
    lines.push(
      [r.file, r.kind, r.generator, r.family, r.split, r.repo, r.commit, r.path, r.sha256, r.sourceSha256, r.format, r.width, r.height, r.lossy, r.tile, r.notes].map(cell).join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Parses a manifest.tsv back (tests, and anyone checking a corpus against the committed manifest). */
export function parseTsv(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.split('\n').filter((l) => l !== '');
  const columns = (header ?? '').split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((v, i) => [columns[i] ?? `column${i}`, v])));
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const SPLIT_WORDS: Record<Split, { title: string; use: string }> = {
  train: { title: 'Training population', use: 'for training only' },
  calibration: { title: 'Calibration population', use: 'for fitting score-to-likelihood-ratio calibrations only, never for training' },
  validation: { title: 'Validation population', use: 'held out: used in no training or calibration' },
};

/** The plain-words description calibrate / evaluate print for a split folder. */
export function aboutSplit(
  split: Split,
  kind: Kind,
  labels: ReadonlyArray<{ name: string; images: number }>,
  repos: readonly string[],
  context: { tiles: boolean; definition: string },
): string {
  const { title, use } = SPLIT_WORDS[split];
  const what = kind === 'photo' ? `camera photographs from ${labels.length} public data sets` : `${labels.length} real public generators`;
  const images = labels.reduce((n, l) => n + l.images, 0);
  return (
    `${title}: ${what} (${labels.map((l) => `${l.name} ${l.images}`).join(', ')}; ${images} images), ` +
    `published in public GitHub repositories at fixed commits (${repos.join(', ')}), taken as published${context.tiles ? ' (sample grids cut at exact tile boundaries)' : ''}, ${use}. ` +
    `Built by \`modelprint corpus build\` from ${context.definition}.`
  );
}
