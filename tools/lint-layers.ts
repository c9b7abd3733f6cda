// The layering rule, checked on every import (type imports included):
//   - no import cycle anywhere (the sources, tests, bench, tools, bin, docs);
//   - src-engine never imports src-renderer, src-main or src-preload;
//   - the renderer imports only its own files, the contract (src-engine/api) and packages;
//   - src-engine/base (the ground floor) imports only itself; src-engine/api (the contract) only
//     itself and base; a feature folder imports base, api, itself and the folders FEATURE_DEPENDENCIES
//     allows it, and that table is itself acyclic.
// Usage: node tools/lint-layers.ts [ROOT]   (exit 1 and one line per violation when the rule fails)
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Which feature folders of src-engine each feature folder may import (besides base, api and itself). */
export const FEATURE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  db: [],
  jobs: [],
  models: [],
  metrics: [],
  audit: ['db'],
  cases: ['audit', 'db'],
  evidence: ['audit', 'cases', 'jobs'],
  corpus: ['evidence'],
  integrity: ['audit', 'cases', 'evidence', 'jobs'],
  export: ['audit', 'cases', 'db'],
  fingerprint: ['audit', 'cases', 'db', 'jobs', 'models'],
  'labelled-folders': ['fingerprint'],
  conditions: ['evidence', 'labelled-folders'],
  layered: ['models'],
  'set-fingerprint': ['models'],
  calibration: ['conditions', 'fingerprint', 'labelled-folders', 'metrics', 'models', 'set-fingerprint'],
  gallery: ['db', 'fingerprint', 'jobs', 'models'],
  'hash-sets': ['db'],
  'ct-curve': ['audit', 'cases', 'db', 'fingerprint', 'gallery', 'jobs', 'layered', 'models'],
  attribution: ['audit', 'calibration', 'cases', 'conditions', 'db', 'fingerprint', 'gallery', 'jobs', 'metrics', 'set-fingerprint'],
  provenance: ['attribution', 'audit', 'cases', 'db', 'evidence', 'jobs'],
  evaluation: [
    'attribution', 'calibration', 'conditions', 'ct-curve', 'fingerprint', 'labelled-folders', 'metrics', 'models',
    'set-fingerprint',
  ],
  report: ['attribution', 'audit', 'calibration', 'cases', 'conditions', 'ct-curve', 'db', 'integrity', 'jobs', 'provenance'],
};

/**
 * Composition roots wire the features together: engine.ts (the engine and its handlers), host (the
 * loopback server around an engine), cli (the command line) and builders (the scripts that build
 * the bundled resources). They may import any feature; no feature imports them.
 */
const COMPOSITION_ROOTS = new Set(['engine.ts', 'host', 'cli', 'builders']);

const SOURCE_ROOTS = ['src-engine', 'src-renderer', 'src-main', 'src-preload'];
/** Checked for import cycles only: the code around the sources. */
const OTHER_ROOTS = ['tests', 'bench', 'tools', 'bin', 'docs'];
const UI_ROOTS = ['src-renderer', 'src-main', 'src-preload'];

export interface Violation {
  file: string;
  message: string;
}

interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
}

function listSources(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) listSources(full, out);
    else if (/\.(ts|svelte|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
}

/** The script blocks of a .svelte file, or the file itself. */
function scriptText(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Every module specifier a file names: imports, re-exports, import types, dynamic imports. */
export function moduleSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, scriptText(file), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolve(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return null; // a package
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base; // unresolved: still checked by where it points
}

/** Where a file sits: its source root, and for src-engine its layer (base, api, a feature, a root). */
function place(root: string, file: string): { top: string; layer: string | null } {
  const parts = path.relative(root, file).split(path.sep);
  const top = parts[0] ?? '';
  if (top !== 'src-engine') return { top, layer: null };
  return { top, layer: parts[1] ?? null };
}

function findCycles(files: string[], edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const file of files) next.set(file, []);
  for (const edge of edges) if (next.has(edge.to)) next.get(edge.from)!.push(edge.to);
  // Tarjan's strongly connected components, iteratively.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of files) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: start, i: 0 }];
    index.set(start, counter); low.set(start, counter); counter++;
    stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = next.get(frame.node)!;
      if (frame.i < targets.length) {
        const target = targets[frame.i++]!;
        if (!index.has(target)) {
          index.set(target, counter); low.set(target, counter); counter++;
          stack.push(target); onStack.add(target);
          work.push({ node: target, i: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = next.get(frame.node)!.includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

function tableCycles(table: Readonly<Record<string, readonly string[]>>): string[][] {
  const names = Object.keys(table).sort();
  const edges = names.flatMap((from) => (table[from] ?? []).map((to) => ({ from, to, specifier: to })));
  return findCycles(names, edges);
}

export interface LintOptions {
  dependencies?: Readonly<Record<string, readonly string[]>>;
}

export function lintLayers(root: string, options: LintOptions = {}): Violation[] {
  const table = options.dependencies ?? FEATURE_DEPENDENCIES;
  const files: string[] = [];
  for (const dir of [...SOURCE_ROOTS, ...OTHER_ROOTS]) listSources(path.join(root, dir), files);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    for (const specifier of moduleSpecifiers(file)) {
      const to = resolve(file, specifier);
      if (to !== null) edges.push({ from: file, to, specifier });
    }
  }
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const violations: Violation[] = [];
  const report = (edge: ImportEdge, why: string): void => {
    violations.push({ file: rel(edge.from), message: `imports '${edge.specifier}': ${why}` });
  };

  for (const cycle of tableCycles(table)) {
    violations.push({ file: 'tools/lint-layers.ts', message: `the feature table has a cycle: ${cycle.join(' ⇄ ')}` });
  }

  for (const edge of edges) {
    const from = place(root, edge.from);
    const to = place(root, edge.to);
    if (from.top === 'src-engine' && UI_ROOTS.includes(to.top)) {
      report(edge, `the engine never imports ${to.top}`);
      continue;
    }
    if (from.top === 'src-renderer' && to.top !== 'src-renderer' &&
      !(to.top === 'src-engine' && to.layer === 'api')) {
      report(edge, 'the renderer imports only its own files and the contract (src-engine/api)');
      continue;
    }
    if (from.top !== 'src-engine' || to.top !== 'src-engine' || from.layer === null || to.layer === null) continue;
    const a = from.layer;
    const b = to.layer;
    if (a === b) continue;
    if (a === 'base') { report(edge, 'the ground floor (base) imports only itself'); continue; }
    if (a === 'api') {
      if (b !== 'base') report(edge, 'the contract (api) imports only itself and base');
      continue;
    }
    if (b === 'base' || b === 'api') continue;
    if (COMPOSITION_ROOTS.has(a)) continue;
    if (COMPOSITION_ROOTS.has(b)) { report(edge, `${b} is a composition root; nothing imports it`); continue; }
    const allowed = table[a];
    if (allowed === undefined) { report(edge, `feature '${a}' is not in the dependency table (tools/lint-layers.ts)`); continue; }
    if (!allowed.includes(b)) report(edge, `feature '${a}' may not import feature '${b}' (tools/lint-layers.ts)`);
  }

  for (const cycle of findCycles(files, edges)) {
    violations.push({ file: rel(cycle[0]!), message: `import cycle: ${cycle.map(rel).join(' → ')}` });
  }
  return violations;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
  const violations = lintLayers(root);
  for (const v of violations) console.error(`${v.file}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`lint-layers: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log('lint-layers: ok');
}
