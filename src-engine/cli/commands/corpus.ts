// `modelprint corpus build --mirrors DIR --out DIR`: builds the real-generator corpus from local
// copies of the public repositories named in training/corpus/real-sources.json (see
// src-engine/corpus/build.ts). Exit 0 when every source was read whole; 5 when a source (or a
// taken file of one) was missing, the rest being built all the same; 130 on Ctrl-C, with no
// half-written file left behind.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic, sha256Hex } from '../../corpus/atomic-file.ts';
import { buildCorpus, type BuildResult } from '../../corpus/build.ts';
import { COMMITTED_MANIFEST, DEFAULT_DEFINITION, DEFAULT_OUT, loadDefinition, PROJECT_ROOT, SPLITS } from '../../corpus/definition.ts';
import { parseSourceOption } from '../../corpus/locate.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { runInterruptible } from '../interruptible.ts';
import { UsageError } from '../usage-error.ts';

const USAGE =
  'usage: modelprint corpus build [--mirrors DIR] [--source owner/name=PATH ...] [--out DIR] [--sources FILE] [--commit-manifest]\n' +
  '  --mirrors DIR    a folder of repository copies named <owner>+<name> (a bare copy or a clone, or either in <owner>+<name>/repo)\n' +
  '  --source R=PATH  the copy of one repository R (owner/name), repeatable; wins over --mirrors\n' +
  `  --out DIR        where the corpus goes (default ${path.relative(process.cwd(), DEFAULT_OUT) || DEFAULT_OUT})\n` +
  '  --sources FILE   the definition (default training/corpus/real-sources.json)\n' +
  '  --commit-manifest  also copy manifest.tsv to training/corpus/real-manifest.tsv (only when every source was read whole)';

/** How corpus.json names the definition: its path in the project, else its file name (never a machine's absolute path). */
function definitionName(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? path.basename(file) : relative.split(path.sep).join('/');
}

function printSummary(print: (line: string) => void, result: BuildResult, out: string): void {
  print(`Corpus written to ${out}: ${result.rows.length} images`);
  for (const report of result.sources) {
    const where = result.locations.find((l) => l.repo === report.repo)?.gitDir;
    const status = report.status === 'present' ? `${report.commit!.slice(0, 12)}  ${report.written} written, ${report.considered - report.taken} skipped` : report.status.toUpperCase();
    print(`  ${report.repo.padEnd(34)} ${status}${where ? '' : ' (no copy found)'}`);
  }
  const splits = result.summary.splits as Record<string, { generators: Record<string, { images: number }>; photos: Record<string, { images: number }> }>;
  for (const split of SPLITS) {
    const s = splits[split]!;
    for (const [heading, labels] of [['generators', s.generators], ['photos', s.photos]] as const) {
      const entries = Object.entries(labels);
      if (entries.length === 0) continue;
      print(`${split} ${heading}: ${entries.map(([name, e]) => `${name} ${e.images}`).join(', ')}`);
    }
  }
  const skipped = Object.entries(result.summary.skipped as Record<string, number>).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (skipped.length) print('Skipped:');
  for (const [reason, n] of skipped) print(`  ${String(n).padStart(5)}  ${reason}`);
  for (const warning of result.warnings) print(`Warning: ${warning}`);
  if (result.removedStale) print(`Removed ${result.removedStale} file(s) of an earlier build that this definition no longer names.`);
}

const buildCommand: Command = async (ctx, args) => {
  const { values, positionals } = parseArgs({
    args,
    options: {
      mirrors: { type: 'string' },
      source: { type: 'string', multiple: true },
      out: { type: 'string' },
      sources: { type: 'string' },
      'commit-manifest': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(USAGE);
  const explicit = new Map<string, string>();
  for (const value of values.source ?? []) {
    let parsed: { repo: string; dir: string };
    try {
      parsed = parseSourceOption(value);
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
    explicit.set(parsed.repo, parsed.dir);
  }
  if (!values.mirrors && explicit.size === 0) throw new UsageError(`give --mirrors DIR or at least one --source owner/name=PATH\n${USAGE}`);
  if (values.mirrors && !fs.statSync(values.mirrors, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--mirrors ${values.mirrors} is not a folder`);
  const definitionFile = path.resolve(values.sources ?? DEFAULT_DEFINITION);
  let definition;
  try {
    definition = loadDefinition(definitionFile);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const unknown = [...explicit.keys()].filter((repo) => !definition.sources.some((s) => s.repo === repo));
  if (unknown.length) throw new UsageError(`--source names repositories the definition does not: ${unknown.join(', ')}`);
  // The committed manifest describes the committed definition only.
  if (values['commit-manifest'] && definitionFile !== DEFAULT_DEFINITION) throw new UsageError(`--commit-manifest goes with the committed definition (${DEFAULT_DEFINITION}), not ${definitionFile}`);
  const out = path.resolve(values.out ?? DEFAULT_OUT);

  let cancelled = false;
  let result: BuildResult;
  try {
    result = await runInterruptible(ctx.json, async ({ signal, progress }) => {
      try {
        return await buildCorpus({
          definition,
          definitionRef: { name: definitionName(definitionFile), sha256: sha256Hex(fs.readFileSync(definitionFile)) },
          mirrors: values.mirrors ? path.resolve(values.mirrors) : null,
          explicitSources: explicit,
          out,
          signal,
          onProgress: progress,
        });
      } catch (error) {
        cancelled = signal.aborted;
        throw error;
      }
    });
  } catch (error) {
    if (!cancelled) throw error;
    process.stderr.write('corpus build cancelled: every file written is whole; manifest.tsv and corpus.json were not written\n');
    return ExitCode.cancelled;
  }

  const incomplete = result.sources.some((s) => s.status !== 'present') || result.unreadable > 0;
  let committed: string | null = null;
  if (values['commit-manifest']) {
    if (incomplete) {
      process.stderr.write(`not copying the manifest to ${COMMITTED_MANIFEST}: some sources or files were missing, so it would not describe the whole corpus\n`);
    } else {
      writeFileAtomic(COMMITTED_MANIFEST, fs.readFileSync(result.files.manifest));
      committed = COMMITTED_MANIFEST;
    }
  }
  if (ctx.json) {
    const { sources: _detailed, ...summary } = result.summary;
    ctx.emitJson({
      out,
      manifest: result.files.manifest,
      corpus: result.files.corpus,
      committedManifest: committed,
      ...summary,
      sources: result.sources.map(({ skippedFiles: _files, ...rest }) => ({ ...rest, location: result.locations.find((l) => l.repo === rest.repo)?.gitDir ?? null })),
      removedStale: result.removedStale,
    });
  } else {
    printSummary(ctx.print, result, out);
    if (committed) ctx.print(`Manifest copied to ${committed}`);
  }
  return incomplete ? ExitCode.partial : ExitCode.ok;
};

export const corpusCommands: Record<string, Command> = { build: buildCommand };
