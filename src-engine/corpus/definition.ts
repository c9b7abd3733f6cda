// The corpus definition (training/corpus/real-sources.json): which public repositories, at which
// commits, and which of their files are images of which generator (or camera photo data set), in
// which split. It is data, not code, so the lead can review the split in one file; it is validated
// here before anything is read, and the split is checked to be BY GENERATOR: one label, one split.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { globToRegExp } from './glob.ts';

export const SPLITS = ['train', 'calibration', 'validation'] as const;
export type Split = (typeof SPLITS)[number];
export type Kind = 'generator' | 'photo';

/** The project's folder, found from this file so any working directory works. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The committed definition, the committed copy of its manifest, and where the images go (gitignored). */
export const DEFAULT_DEFINITION = path.join(PROJECT_ROOT, 'training', 'corpus', 'real-sources.json');
export const COMMITTED_MANIFEST = path.join(PROJECT_ROOT, 'training', 'corpus', 'real-manifest.tsv');
export const DEFAULT_OUT = path.join(PROJECT_ROOT, 'training', 'artifacts', 'real-corpus');

// A label names an output folder, so it must be a plain folder name.
const LabelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a label is letters, digits, ".", "_" or "-"');
const PositiveInt = z.number().int().positive();

const Grid = z
  .object({
    tileWidth: PositiveInt,
    tileHeight: PositiveInt,
    /** Pixels around and between the tiles (torchvision make_grid style); 0 for none. */
    padding: z.number().int().min(0),
    /** When given, the grid must have exactly this many rows / columns. */
    rows: PositiveInt.optional(),
    columns: PositiveInt.optional(),
  })
  .strict();

const Pattern = {
  /** A glob on the path inside the repository (see glob.ts). */
  match: z.string().min(1).optional(),
  /** Or a regular expression on that path, when the names hold glob characters. */
  regex: z.string().min(1).optional(),
};

const TakeRule = z
  .object({
    ...Pattern,
    generator: LabelName,
    family: LabelName,
    kind: z.enum(['generator', 'photo']),
    split: z.enum(SPLITS),
    grid: Grid.optional(),
    notes: z.string().optional(),
  })
  .strict();

const SkipRule = z
  .object({
    ...Pattern,
    /** Why these files are left out: counted under this text in corpus.json. */
    skip: z.string().min(1),
  })
  .strict();

const Rule = z.union([TakeRule, SkipRule]).refine((r) => (r.match === undefined) !== (r.regex === undefined), {
  message: 'a rule needs exactly one of "match" (a glob) or "regex"',
});

const Source = z
  .object({
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'repo is "owner/name"'),
    /** A commit hash, short (as real-data.md gives it) or full; resolved with git rev-parse. */
    commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'commit is 7 to 40 lowercase hex digits'),
    /** Output names: "parent-and-file" = <folder>_<file> (dcsan's prompt folders); "path" = the path with '/' -> '__'. */
    naming: z.enum(['parent-and-file', 'path']),
    /** Globs of the files considered at all; a considered file that no rule matches is skipped and counted. */
    scope: z.array(z.string().min(1)).min(1),
    /** Files wider than this are skipped (ComfyUI: wider images are screenshots of the UI). */
    maxWidth: PositiveInt.optional(),
    notes: z.string().optional(),
    rules: z.array(Rule).min(1),
  })
  .strict();

const Definition = z
  .object({
    version: z.literal(1),
    about: z.string().min(1),
    notes: z.array(z.string()).optional(),
    sources: z.array(Source).min(1),
  })
  .strict();

export type CorpusDefinition = z.infer<typeof Definition>;
export type SourceDefinition = z.infer<typeof Source>;
export type GridSpec = z.infer<typeof Grid>;
export type TakeRuleDefinition = z.infer<typeof TakeRule>;

export interface Label {
  generator: string;
  family: string;
  kind: Kind;
  split: Split;
}

export type CompiledRule =
  | { test: (p: string) => boolean; action: 'skip'; reason: string }
  | { test: (p: string) => boolean; action: 'take'; label: Label; grid: GridSpec | null; notes: string };

export interface CompiledSource {
  definition: SourceDefinition;
  inScope: (p: string) => boolean;
  rules: CompiledRule[];
}

function compilePattern(rule: { match?: string; regex?: string }): (p: string) => boolean {
  const re = rule.match !== undefined ? globToRegExp(rule.match) : new RegExp(rule.regex!);
  return (p) => re.test(p);
}

export function compileSource(source: SourceDefinition): CompiledSource {
  const scope = source.scope.map(globToRegExp);
  return {
    definition: source,
    inScope: (p) => scope.some((re) => re.test(p)),
    rules: source.rules.map((rule): CompiledRule => {
      const test = compilePattern(rule);
      if ('skip' in rule) return { test, action: 'skip', reason: rule.skip };
      const { generator, family, kind, split } = rule;
      return { test, action: 'take', label: { generator, family, kind, split }, grid: rule.grid ?? null, notes: rule.notes ?? '' };
    }),
  };
}

/** Parses and checks a definition; every problem is reported with its place in the file. */
export function parseDefinition(value: unknown, origin = 'the corpus definition'): CorpusDefinition {
  const parsed = Definition.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n');
    throw new Error(`${origin} is not valid:\n${issues}`);
  }
  const definition = parsed.data;
  const repos = new Set<string>();
  // One label, one split (and one family, one kind): the split is by generator, never by image.
  const labels = new Map<string, { label: Label; where: string }>();
  for (const source of definition.sources) {
    if (repos.has(source.repo)) throw new Error(`${origin}: ${source.repo} is defined twice`);
    repos.add(source.repo);
    for (const rule of source.rules) {
      if (rule.regex !== undefined) {
        try {
          new RegExp(rule.regex);
        } catch (error) {
          throw new Error(`${origin}: ${source.repo}: bad regex ${rule.regex}: ${(error as Error).message}`);
        }
      }
      if ('skip' in rule) continue;
      const label: Label = { generator: rule.generator, family: rule.family, kind: rule.kind, split: rule.split };
      const seen = labels.get(label.generator);
      const where = `${source.repo} ${rule.match ?? rule.regex}`;
      if (seen && (seen.label.split !== label.split || seen.label.family !== label.family || seen.label.kind !== label.kind)) {
        throw new Error(
          `${origin}: "${label.generator}" is ${seen.label.kind}/${seen.label.family}/${seen.label.split} at ${seen.where} but ${label.kind}/${label.family}/${label.split} at ${where}: a label has one split, family and kind`,
        );
      }
      if (!seen) labels.set(label.generator, { label, where });
    }
  }
  return definition;
}

export function loadDefinition(file: string): CorpusDefinition {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the corpus definition ${file}: ${(error as Error).message}`);
  }
  return parseDefinition(value, file);
}
