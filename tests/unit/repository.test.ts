// What the repository says of itself stays true: every npm script's file exists, the README's tree
// lists every engine folder, code carries no project-history labels and cites only its own docs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { repoRoot } from './helpers/repo-paths.ts';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

test('every file an npm script runs exists', () => {
  for (const [name, command] of Object.entries(pkg.scripts)) {
    for (const match of command.matchAll(/\bnode\s+(?:--\S+\s+)*([^\s"]+\.(?:ts|js|mjs))/g)) {
      assert.ok(fs.existsSync(path.join(repoRoot, match[1]!)), `npm run ${name}: ${match[1]} does not exist`);
    }
  }
});

test("the README's tree lists every folder of src-engine", () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const folders = fs.readdirSync(path.join(repoRoot, 'src-engine'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const folder of folders) assert.match(readme, new RegExp(`^  ${folder}/ `, 'm'), `README.md's tree does not list src-engine/${folder}/`);
});

test('no history labels in code, and methods are cited from docs/methods.md', () => {
  const files = execFileSync('git', ['ls-files', 'src-engine', 'src-main', 'src-preload', 'src-renderer', 'tools', 'bench', 'tests/unit'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|svelte|py)$/.test(f) && fs.existsSync(path.join(repoRoot, f)));
  assert.ok(fs.existsSync(path.join(repoRoot, 'docs', 'methods.md')));
  for (const file of files) {
    if (file === 'tests/unit/repository.test.ts') continue;
    const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    assert.doesNotMatch(text, /\bPart \d/, `${file} carries a "Part N" history label`);
    assert.doesNotMatch(text, /(?<![\w/])methods\.md/, `${file} cites a methods.md that is not docs/methods.md`);
  }
});
