#!/usr/bin/env node
// Entry point of `npx modelprint`. The engine needs Node >= 22.12 (better-sqlite3 13 crashes on
// older Node): on an older Node this re-runs itself with the Node 22 that npm installed locally.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const node22 = path.join(root, 'node_modules', 'node', 'bin', 'node');
  const child = spawnSync(node22, process.argv.slice(1), { stdio: 'inherit' });
  if (child.error) {
    process.stderr.write(`modelprint needs Node >= 22.12 (found ${process.version}); run \`npm install\` first (${child.error.message})\n`);
    process.exit(70);
  }
  process.exit(child.status ?? 70);
} else {
  const { main } = await import('../src-engine/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
