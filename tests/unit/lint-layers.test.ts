import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { lintLayers } from '../../tools/lint-layers.ts';
import { repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

const GOOD = {
  'src-engine/base/hash.ts': "export const hash = (s: string): string => s;\n",
  'src-engine/api/contract.ts': "import { hash } from '../base/hash.ts';\nexport type Id = ReturnType<typeof hash>;\n",
  'src-engine/db/store.ts': "import type { Id } from '../api/contract.ts';\nexport const ids: Id[] = [];\n",
  'src-engine/audit/log.ts': "import { ids } from '../db/store.ts';\nexport const count = ids.length;\n",
  'src-renderer/src/lib/view.ts': "import type { Id } from '../../../src-engine/api/contract.ts';\nexport const show = (id: Id): string => id;\n",
  'src-renderer/src/App.svelte': "<script lang=\"ts\">\n  import { show } from './lib/view.ts';\n  import { mount } from 'svelte';\n</script>\n<p>{show('a')}</p>\n",
};

test('the repository itself passes the layering rule', () => {
  assert.deepEqual(lintLayers(repoRoot), []);
});

test('a well-layered tree passes', (t) => {
  const root = makeTempDir(t, 'lint-layers');
  writeTree(root, GOOD);
  assert.deepEqual(lintLayers(root), []);
});

test('an engine file importing the renderer fails', (t) => {
  const root = makeTempDir(t, 'lint-layers');
  writeTree(root, { ...GOOD, 'src-engine/db/store.ts': "import { show } from '../../src-renderer/src/lib/view.ts';\nexport const ids = [show];\n" });
  const violations = lintLayers(root);
  assert.ok(violations.some((v) => v.file === 'src-engine/db/store.ts' && /the engine never imports src-renderer/.test(v.message)), JSON.stringify(violations));
});

test('an import cycle fails, type imports included', (t) => {
  const root = makeTempDir(t, 'lint-layers');
  writeTree(root, {
    ...GOOD,
    'src-engine/db/a.ts': "import type { B } from './b.ts';\nexport type A = { b: B };\n",
    'src-engine/db/b.ts': "export type B = { a: import('./a.ts').A };\n",
  });
  const cycles = lintLayers(root).filter((v) => v.message.startsWith('import cycle'));
  assert.equal(cycles.length, 1, JSON.stringify(cycles));
  assert.match(cycles[0]!.message, /src-engine\/db\/a\.ts → src-engine\/db\/b\.ts/);
});

test('the renderer importing a feature, the contract importing a feature and a feature outside its table fail', (t) => {
  const root = makeTempDir(t, 'lint-layers');
  writeTree(root, {
    ...GOOD,
    'src-renderer/src/lib/bad.ts': "import { ids } from '../../../src-engine/db/store.ts';\nexport const n = ids.length;\n",
    'src-engine/api/bad.ts': "export type { Id } from '../db/store.ts';\n",
    'src-engine/db/bad.ts': "import { count } from '../audit/log.ts';\nexport const n = count;\n",
  });
  const messages = lintLayers(root).map((v) => `${v.file}: ${v.message}`);
  assert.ok(messages.some((m) => m.startsWith('src-renderer/src/lib/bad.ts') && /only its own files and the contract/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('src-engine/api/bad.ts') && /the contract \(api\) imports only itself and base/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('src-engine/db/bad.ts') && /feature 'db' may not import feature 'audit'/.test(m)), messages.join('\n'));
});
