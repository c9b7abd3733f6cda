// What leaves the engine for a spreadsheet or a terminal: CSV cells that cannot run as formulas,
// file names whose control characters cannot drive the terminal or spoof a line, a reader that
// closes the pipe early (exit 0, quietly), and a tampered model (exit 1, integrity, not 70).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { terminalLines, terminalText } from '../../src-engine/cli/terminal-text.ts';
import { csvCell } from '../../src-engine/export/csv-cell.ts';
import { buildEvidenceList, renderEvidenceList } from '../../src-engine/export/evidence-list.ts';
import { loadModel } from '../../src-engine/models/model-registry.ts';
import { IntegrityApiError } from '../../src-engine/api/integrity-error.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { writeSample } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { createTestCase, importFiles } from './helpers/test-case.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');

function modelprint(home: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(nodeBinary, [BIN, '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

test('CSV cells that a spreadsheet would run as formulas are written as text', () => {
  assert.equal(csvCell('=1+2.png'), "'=1+2.png");
  assert.equal(csvCell('@SUM(1).png'), "'@SUM(1).png");
  assert.equal(csvCell('+cmd.png'), "'+cmd.png");
  assert.equal(csvCell('-2+3.png'), "'-2+3.png");
  assert.equal(csvCell('\t=1.png'), "'\t=1.png");
  assert.equal(csvCell('\r=1.png'), `"'\r=1.png"`);
  assert.equal(csvCell('=HYPERLINK("x","y")'), `"'=HYPERLINK(""x"",""y"")"`);
  assert.equal(csvCell('plain, with comma.png'), '"plain, with comma.png"');
  assert.equal(csvCell(-1), '-1', 'numbers are numbers');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell('a=b.png'), 'a=b.png');
});

test('the evidence list CSV escapes formula-like file names', async (t) => {
  const dir = makeTempDir(t, 'modelprint-csv');
  await writeSample.png(dir, '=1+2.png', 1);
  await writeSample.png(dir, '@SUM(1).png', 2);
  const { handle } = createTestCase(t);
  await importFiles(handle, [dir]);
  const csv = renderEvidenceList(buildEvidenceList(handle.db), 'csv');
  const cells = csv.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(','));
  const names = cells.map((row) => row[4]);
  assert.deepEqual(names.sort(), ["'=1+2.png", "'@SUM(1).png"].sort());
  for (const row of cells) for (const cell of row) assert.doesNotMatch(cell, /^[=+@]/, cell);
});

test('control characters in evidence text are shown escaped', () => {
  assert.equal(terminalText('a\x1b[31mred\x1b[0m.png'), 'a\\e[31mred\\e[0m.png');
  assert.equal(terminalText('x.png\nitem 99  fake.png'), 'x.png\\nitem 99  fake.png');
  assert.equal(terminalText('bell\x07\x9b2J\u202egnp.exe'), 'bell\\x07\\x9b2J\\u{202e}gnp.exe');
  assert.equal(terminalText('tab\there\r'), 'tab\\there\\r');
  assert.equal(terminalLines('line one\nline \x1b[2Jtwo'), 'line one\nline \\e[2Jtwo');
  assert.equal(terminalText('ordinary name – ü.png'), 'ordinary name – ü.png');
});

test('file names with ESC and newlines reach the terminal escaped, spoofing no line', async (t) => {
  const home = makeTempDir(t, 'modelprint-cli-out');
  const dir = path.join(home, 'in');
  fs.mkdirSync(dir);
  await writeSample.png(dir, 'x.png\nitem 99  fake.png', 1);
  await writeSample.png(dir, '\x1b[2J\x1b[31mred.png', 2);
  assert.equal(modelprint(home, ['case', 'create', '--number', 'OUT-1', '--title', 'Title\x1b]0;pwned\x07', '--examiner', 'x']).code, 0);
  assert.equal(modelprint(home, ['import', '--case', 'OUT-1', dir]).code, 0);
  for (const args of [['provenance', '--case', 'OUT-1'], ['case', 'list'], ['case', 'show', 'OUT-1'], ['audit', 'list', '--case', 'OUT-1']]) {
    const run = modelprint(home, args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.doesNotMatch(run.stdout, /\x1b|\x07/, args.join(' '));
    assert.ok(!run.stdout.split('\n').some((line) => line.startsWith('item 99')), `${args.join(' ')} printed a spoofed line`);
  }
  const provenance = modelprint(home, ['provenance', '--case', 'OUT-1']);
  assert.match(provenance.stdout, /x\.png\\nitem 99 {2}fake\.png/);
  assert.match(provenance.stdout, /\\e\[2J\\e\[31mred\.png/);
});

test('a reader that closes the pipe early (audit list | head -1) ends the command quietly with 0', async (t) => {
  const home = makeTempDir(t, 'modelprint-cli-pipe');
  const dir = path.join(home, 'in');
  fs.mkdirSync(dir);
  for (let i = 0; i < 3; i++) await writeSample.png(dir, `p${i}.png`, i);
  assert.equal(modelprint(home, ['case', 'create', '--number', 'PIPE-1', '--title', 'Pipe', '--examiner', 'x']).code, 0);
  assert.equal(modelprint(home, ['import', '--case', 'PIPE-1', dir]).code, 0);
  const child = spawn(nodeBinary, [BIN, '--home', home, 'audit', 'list', '--case', 'PIPE-1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The reader is gone before the first line is written: every write meets EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('a model that does not match its card exits 1 (integrity failure), not 70', async (t) => {
  const home = makeTempDir(t, 'modelprint-cli-model');
  const models = path.join(home, 'models');
  fs.mkdirSync(models);
  for (const file of ['spectral-extractor-v2.onnx', 'spectral-extractor-v2.md', 'spectral-extractor-v2.reference.json']) {
    fs.copyFileSync(path.join(repoRoot, 'resources', 'models', file), path.join(models, file));
  }
  const onnx = path.join(models, 'spectral-extractor-v2.onnx');
  const bytes = fs.readFileSync(onnx);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0xff;
  fs.writeFileSync(onnx, bytes);
  assert.throws(() => loadModel(models, 'spectral-extractor-v2'), IntegrityApiError);

  const dir = path.join(home, 'in');
  fs.mkdirSync(dir);
  await writeSample.png(dir, 'a.png', 1);
  assert.equal(modelprint(home, ['case', 'create', '--number', 'MOD-1', '--title', 'Model', '--examiner', 'x']).code, 0);
  assert.equal(modelprint(home, ['import', '--case', 'MOD-1', dir]).code, 0);
  const run = modelprint(home, ['fingerprint', '--case', 'MOD-1'], { MODELPRINT_MODELS: models });
  assert.match(run.stderr, /does not match its model card/);
  assert.equal(run.code, 1);
  // The same through an engine job (attribute fingerprints what it needs first): still 1.
  const attributed = modelprint(home, ['attribute', '--case', 'MOD-1'], { MODELPRINT_MODELS: models });
  assert.match(attributed.stderr, /does not match its model card/);
  assert.equal(attributed.code, 1);
});
