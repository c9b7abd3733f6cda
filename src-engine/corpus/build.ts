// `modelprint corpus build`: the real-generator corpus, rebuilt deterministically from local
// copies of the allowed public repositories at fixed commits. Per source: find the copy, resolve
// the commit, list its tree, decide each file by the definition's rules, read the taken blobs
// through one git process, check them (format sniffed, size from the header, losslessness), and
// write them byte for byte (grids: their exact tiles) under <split>/<generator>/. A missing
// source is reported and skipped; the rest is still built. manifest.tsv and corpus.json are
// written last: a folder without them is an interrupted build.
import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex, writeFileAtomic } from './atomic-file.ts';
import { BlobReader } from './blob-reader.ts';
import { classify } from './classify.ts';
import { removeStale } from './cleanup.ts';
import { compileSource, SPLITS, type CorpusDefinition, type Kind, type Split } from './definition.ts';
import { GitRepo } from './git-repo.ts';
import { cutGrid } from './grid.ts';
import { inspectImage } from './image-facts.ts';
import { locateSource } from './locate.ts';
import { aboutSplit, byCodePoint, formatJson, formatTsv, type ManifestRow } from './manifest.ts';
import { outputFolder, outputName, tileName } from './naming.ts';

export const ABSENT_OBJECT = 'absent from this copy of the repository (partial copy)';
export const DUPLICATE = 'identical bytes to a file taken earlier';
export const CALIBRATION_GALLERY_IMAGES = 10;

export interface BuildOptions {
  definition: CorpusDefinition;
  /** How corpus.json names the definition (its path in the project) and the sha256 of its bytes. */
  definitionRef: { name: string; sha256: string };
  /** A folder of <owner>+<name>[/repo] copies, or null. */
  mirrors: string | null;
  /** owner/name -> folder of that repository's copy (wins over `mirrors`). */
  explicitSources: ReadonlyMap<string, string>;
  out: string;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

export type SourceStatus = 'present' | 'absent' | 'commit-missing';

export interface SkippedFile {
  path: string;
  reason: string;
  detail?: string;
}

export interface SourceReport {
  repo: string;
  requestedCommit: string;
  status: SourceStatus;
  commit: string | null;
  treeFiles: number;
  /** Blobs of the whole tree that this copy lacks (listed with size BAD or "-"). */
  absentObjects: number;
  /** Files in the source's scope (taken or skipped). */
  considered: number;
  /** Published files taken (a grid counts once). */
  taken: number;
  /** Files written (a grid counts once per tile). */
  written: number;
  tiles: number;
  skipped: Record<string, number>;
  skippedFiles: SkippedFile[];
}

export interface BuildResult {
  rows: ManifestRow[];
  sources: SourceReport[];
  /** Where each source was read from: machine-specific, so printed, never written into corpus.json. */
  locations: Array<{ repo: string; gitDir: string | null; looked: string[] }>;
  summary: Record<string, unknown>;
  warnings: string[];
  removedStale: number;
  /** Taken files that could not be read (absent objects), over all sources. */
  unreadable: number;
  files: { manifest: string; corpus: string };
}

function countUp(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort((a, b) => byCodePoint(a[0], b[0])));
}

interface LabelSummary {
  family: string;
  images: number;
  repos: string[];
}

export async function buildCorpus(options: BuildOptions): Promise<BuildResult> {
  const { definition, out, signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  fs.mkdirSync(out, { recursive: true });
  const manifestFile = path.join(out, 'manifest.tsv');
  const corpusFile = path.join(out, 'corpus.json');
  // The old seal goes first: from here until the end, the folder is visibly an unfinished build.
  fs.rmSync(manifestFile, { force: true });
  fs.rmSync(corpusFile, { force: true });

  const rows: ManifestRow[] = [];
  const reports: SourceReport[] = [];
  const locations: BuildResult['locations'] = [];
  const writtenFiles = new Set<string>();
  const origins = new Map<string, string>(); // output file -> repo:path, to refuse two sources writing one name
  const firstByHash = new Map<string, string>(); // sha256 of published bytes -> repo:path
  let unreadable = 0;

  const write = (file: string, bytes: Uint8Array, origin: string): void => {
    const other = origins.get(file);
    if (other !== undefined) throw new Error(`${origin} and ${other} would both be written to ${file}: fix the naming in the definition`);
    origins.set(file, origin);
    writeFileAtomic(path.join(out, file), bytes);
    writtenFiles.add(file);
  };

  for (const sourceDefinition of definition.sources) {
    signal?.throwIfAborted();
    const source = compileSource(sourceDefinition);
    const { repo } = sourceDefinition;
    const report: SourceReport = {
      repo,
      requestedCommit: sourceDefinition.commit,
      status: 'absent',
      commit: null,
      treeFiles: 0,
      absentObjects: 0,
      considered: 0,
      taken: 0,
      written: 0,
      tiles: 0,
      skipped: {},
      skippedFiles: [],
    };
    reports.push(report);
    const located = locateSource(repo, options.mirrors, options.explicitSources);
    locations.push(located);
    if (!located.gitDir) {
      progress(`${repo}: no copy found (looked at ${located.looked.join(', ') || 'nothing: no --mirrors or --source'}), skipped`);
      continue;
    }
    const git = new GitRepo(located.gitDir);
    const commit = git.resolveCommit(sourceDefinition.commit);
    if (!commit) {
      report.status = 'commit-missing';
      progress(`${repo}: commit ${sourceDefinition.commit} is not in ${located.gitDir}, skipped`);
      continue;
    }
    report.status = 'present';
    report.commit = commit;
    const tree = git.listTree(commit).sort((a, b) => byCodePoint(a.path, b.path));
    report.treeFiles = tree.length;
    report.absentObjects = tree.filter((e) => e.size === null).length;

    const skip = (repoPath: string, reason: string, detail?: string): void => {
      countUp(report.skipped, reason);
      report.skippedFiles.push(detail === undefined ? { path: repoPath, reason } : { path: repoPath, reason, detail });
    };

    const reader = new BlobReader(located.gitDir);
    try {
      let done = 0;
      for (const entry of tree) {
        signal?.throwIfAborted();
        const decision = classify(source, entry.path);
        if (decision.action === 'ignore') continue;
        report.considered++;
        if (++done % 25 === 0) progress(`${repo}: ${done} files looked at, ${report.written} written`);
        if (decision.action === 'skip') {
          skip(entry.path, decision.reason);
          continue;
        }
        const bytes = entry.size === null ? null : await reader.read(entry.object);
        if (bytes === null) {
          skip(entry.path, ABSENT_OBJECT);
          unreadable++;
          continue;
        }
        const origin = `${repo}:${entry.path}`;
        const sourceSha256 = sha256Hex(bytes);
        const first = firstByHash.get(sourceSha256);
        if (first !== undefined) {
          skip(entry.path, DUPLICATE, first);
          continue;
        }
        const inspected = await inspectImage(bytes, entry.path);
        if (!inspected.ok) {
          skip(entry.path, inspected.reason);
          continue;
        }
        const facts = inspected.facts;
        const maxWidth = sourceDefinition.maxWidth;
        if (maxWidth !== undefined && facts.width > maxWidth) {
          skip(entry.path, `wider than ${maxWidth} px: a screenshot of the UI, not a generator's output`, `${facts.width}x${facts.height}`);
          continue;
        }
        const { label, grid, notes: ruleNotes } = decision.rule;
        const folder = outputFolder(label.kind, label.split, label.generator);
        const name = outputName(entry.path, sourceDefinition.naming);
        const extension = path.extname(entry.path).slice(1).toLowerCase();
        const notes = [sourceDefinition.notes, ruleNotes, facts.extensionMatches ? '' : `${facts.format} content named .${extension}`];
        const base = { kind: label.kind, generator: label.generator, family: label.family, split: label.split, repo, commit, path: entry.path, sourceSha256 };

        if (grid) {
          const cut = await cutGrid(bytes, facts, grid);
          if (!cut.ok) {
            skip(entry.path, cut.reason, [`${facts.width}x${facts.height}`, cut.detail].filter(Boolean).join(', '));
            continue;
          }
          const tileNotes = [
            ...notes,
            `tile of a ${cut.rows}x${cut.columns} grid of ${grid.tileWidth}x${grid.tileHeight} tiles${grid.padding ? `, ${grid.padding} px padding removed` : ''}, written as lossless PNG`,
            facts.hasIccProfile ? "the grid's ICC profile is not carried into the tile" : '',
          ];
          for (const tile of cut.tiles) {
            const file = `${folder}/${tileName(name, tile.row, tile.column)}`;
            write(file, tile.png, origin);
            rows.push({
              ...base,
              file,
              sha256: sha256Hex(tile.png),
              format: 'png',
              width: tile.width,
              height: tile.height,
              lossy: false,
              tile: `${tile.row},${tile.column} of ${cut.rows}x${cut.columns}`,
              notes: tileNotes.filter(Boolean).join('; '),
            });
            report.written++;
            report.tiles++;
          }
        } else {
          const file = `${folder}/${name}`;
          write(file, bytes, origin);
          rows.push({ ...base, file, sha256: sourceSha256, format: facts.format, width: facts.width, height: facts.height, lossy: facts.lossy, tile: '', notes: notes.filter(Boolean).join('; ') });
          report.written++;
        }
        report.taken++;
        firstByHash.set(sourceSha256, origin);
      }
    } finally {
      await reader.close();
    }
    progress(`${repo}: ${report.written} written, ${report.considered - report.taken} skipped`);
  }
  signal?.throwIfAborted();

  // Per split and label: counts, families, repositories.
  const byLabel = new Map<string, { kind: Kind; split: Split; summary: LabelSummary }>();
  for (const row of rows) {
    const entry = byLabel.get(row.generator) ?? { kind: row.kind, split: row.split, summary: { family: row.family, images: 0, repos: [] } };
    entry.summary.images++;
    if (!entry.summary.repos.includes(row.repo)) entry.summary.repos.push(row.repo);
    byLabel.set(row.generator, entry);
  }
  for (const { summary } of byLabel.values()) summary.repos.sort(byCodePoint);
  const labelsOf = (split: Split, kind: Kind) =>
    [...byLabel.entries()].filter(([, e]) => e.split === split && e.kind === kind).sort((a, b) => byCodePoint(a[0], b[0]));

  const commitOf = new Map(reports.map((r) => [r.repo, r.commit]));
  const sourceAt = (repo: string): string => `${repo}@${(commitOf.get(repo) ?? '').slice(0, 7)}`;
  const warnings: string[] = [];
  const splits: Record<string, unknown> = {};
  for (const split of SPLITS) {
    const generators = labelsOf(split, 'generator');
    const photos = labelsOf(split, 'photo');
    splits[split] = {
      generatorImages: generators.reduce((n, [, e]) => n + e.summary.images, 0),
      photoImages: photos.reduce((n, [, e]) => n + e.summary.images, 0),
      generators: sortedRecord(generators.map(([name, e]) => [name, e.summary])),
      photos: sortedRecord(photos.map(([name, e]) => [name, e.summary])),
    };
    for (const [kind, labels, folder] of [['generator', generators, split], ['photo', photos, `photos/${split}`]] as const) {
      if (labels.length === 0) continue;
      const repos = [...new Set(labels.flatMap(([, e]) => e.summary.repos))].sort(byCodePoint);
      const tiles = rows.some((r) => r.split === split && r.kind === kind && r.tile !== '');
      const about = aboutSplit(split, kind, labels.map(([name, e]) => ({ name, images: e.summary.images })), repos, { tiles, definition: options.definitionRef.name });
      const manifest = {
        about,
        split,
        kind,
        images: labels.reduce((n, [, e]) => n + e.summary.images, 0),
        // `source` in words (calibrate's population table quotes it): repository@commit of each origin.
        [kind === 'photo' ? 'datasets' : 'generators']: labels.map(([name, e]) => ({ name, ...e.summary, source: e.summary.repos.map(sourceAt).join(', ') })),
        corpus: kind === 'photo' ? '../../corpus.json' : '../corpus.json',
      };
      write(`${folder}/manifest.json`, Buffer.from(formatJson(manifest)), 'the split manifest');
    }
    if (split !== 'train') {
      for (const [name, e] of generators) {
        if (e.summary.images <= CALIBRATION_GALLERY_IMAGES) {
          warnings.push(
            `${split}/${name} has only ${e.summary.images} image(s): too few for a gallery entry of ${CALIBRATION_GALLERY_IMAGES} reference images plus queries of its own`,
          );
        }
      }
    }
  }

  const removedStale = removeStale(out, writtenFiles);

  const skippedTotals: Record<string, number> = {};
  for (const r of reports) for (const [reason, n] of Object.entries(r.skipped)) skippedTotals[reason] = (skippedTotals[reason] ?? 0) + n;
  const summary = {
    about: definition.about,
    definition: options.definitionRef,
    conventions: {
      layout: '<split>/<generator>/<file> for generators (a split folder is a folder of generator folders, as evaluate and calibrate take), photos/<split>/<dataset>/<file> for camera photographs',
      tile: '"r,c of RxC": 1-based row r and column c of a grid of R rows and C columns; the tile file is <name>__r<r>c<c>.png',
      hashes: 'sha256 of the written file; source_sha256 of the published file (the same unless a tile); commit is the full hash the short one resolved to',
    },
    totals: {
      images: rows.length,
      generatorImages: rows.filter((r) => r.kind === 'generator').length,
      photoImages: rows.filter((r) => r.kind === 'photo').length,
      generators: [...byLabel.values()].filter((e) => e.kind === 'generator').length,
      photoDatasets: [...byLabel.values()].filter((e) => e.kind === 'photo').length,
      sourcesPresent: reports.filter((r) => r.status === 'present').length,
      sourcesAbsent: reports.filter((r) => r.status !== 'present').map((r) => r.repo),
      skipped: Object.values(skippedTotals).reduce((a, b) => a + b, 0),
    },
    splits,
    skipped: sortedRecord(Object.entries(skippedTotals)),
    warnings,
    sources: reports.map((r) => ({ ...r, skipped: sortedRecord(Object.entries(r.skipped)) })),
  };
  writeFileAtomic(manifestFile, Buffer.from(formatTsv(rows)));
  writeFileAtomic(corpusFile, Buffer.from(formatJson(summary)));
  return {
    rows: [...rows].sort((a, b) => byCodePoint(a.file, b.file)),
    sources: reports,
    locations,
    summary,
    warnings,
    removedStale,
    unreadable,
    files: { manifest: manifestFile, corpus: corpusFile },
  };
}
