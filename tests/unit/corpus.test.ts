// The real-generator corpus builder on the shared sample (../shared/real-generators) put back
// into git repositories at its published paths, plus a repository of crafted files: bytes copied
// exactly, formats sniffed, split by generator, grids cut at exact tiles, lossy grids refused, a
// missing source reported and skipped, deterministic output. And the committed definition:
// valid, and naming only the repositories ../shared/docs/real-data.md allows.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { sha256Hex, TEMP_MARK } from '../../src-engine/corpus/atomic-file.ts';
import { ABSENT_OBJECT, buildCorpus, DUPLICATE, type BuildOptions } from '../../src-engine/corpus/build.ts';
import { NO_RULE } from '../../src-engine/corpus/classify.ts';
import { COMMITTED_MANIFEST, DEFAULT_DEFINITION, loadDefinition, parseDefinition, type CorpusDefinition } from '../../src-engine/corpus/definition.ts';
import { globToRegExp } from '../../src-engine/corpus/glob.ts';
import { parseTsv } from '../../src-engine/corpus/manifest.ts';
import { nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const SHARED = path.resolve(repoRoot, '..', 'shared');
const SAMPLE = path.join(SHARED, 'real-generators');
const REAL_DATA = path.join(SHARED, 'docs', 'real-data.md');

/** The split of every label, as the lead decided it (by generator; photographs by data set). */
const EXPECTED_SPLITS: Record<string, string> = {
  'dalle-mini': 'train', 'glid-3-xl': 'train', 'pixray-vqgan': 'train', 'deepfloyd-if': 'train', cogview2: 'train', 'taming-vqgan': 'train', 'vqgan-clip': 'train', kolors: 'train',
  'latent-diffusion-2022': 'calibration', 'disco-diffusion': 'calibration', 'stability-2022': 'calibration', sd15: 'calibration', sd2: 'calibration', stylegan3: 'calibration',
  'ldm-txt2img': 'calibration', 'ldm-cin256': 'calibration', sd3: 'calibration', 'stable-cascade': 'calibration', hidream: 'calibration', chroma: 'calibration', auraflow: 'calibration',
  midjourney: 'validation', dalle2: 'validation', 'majesty-diffusion': 'validation', flux1: 'validation', flux2: 'validation', sdxl: 'validation', 'sdxl-turbo': 'validation', lumina2: 'validation', 'qwen-image': 'validation',
  Train400: 'train', dreambooth: 'train', CBSD68: 'calibration', Kodak24: 'calibration', McMaster: 'calibration', Urban100: 'validation', 'Sun-Hays80': 'validation',
};

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Corpus Test', '-c', 'user.email=corpus@test.invalid', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A repository holding `files` (path -> bytes) in one commit; returns its HEAD. */
function makeRepo(dir: string, files: Map<string, Buffer>): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  for (const [p, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), bytes);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'corpus test');
  return git(dir, 'rev-parse', 'HEAD');
}

// A 2x3 grid of 64x48 solid tiles with 2 px of black padding, as torchvision's make_grid lays them out.
const GRID = { tileWidth: 64, tileHeight: 48, padding: 2, rows: 2, columns: 3 };
const COLOURS = [[230, 20, 20], [20, 200, 40], [30, 40, 220], [240, 220, 10], [10, 220, 230], [200, 30, 210]];
function gridPixels(): { raw: Buffer; width: number; height: number } {
  const { tileWidth: tw, tileHeight: th, padding: p, rows, columns } = GRID;
  const width = columns * tw + (columns + 1) * p;
  const height = rows * th + (rows + 1) * p;
  const raw = Buffer.alloc(width * height * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const colour = COLOURS[r * columns + c]!;
      for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) raw.set(colour, ((p + r * (th + p) + y) * width + p + c * (tw + p) + x) * 3);
    }
  }
  return { raw, width, height };
}

function gradient(size: number, seed: number): Buffer {
  const raw = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) raw.set([(i * 7 + seed) % 256, (i * 13) % 256, (seed * 31 + (i >> 3)) % 256], i * 3);
  return raw;
}

interface Fixture {
  root: string;
  mirrors: string;
  definition: CorpusDefinition;
  options: (out: string, extra?: Partial<BuildOptions>) => BuildOptions;
  sample: Array<Record<string, string>>;
  gridSha256: string;
}

let fixture: Fixture;
// Made here, not in the hook: an `after` registered inside `before` would run as soon as the hook ends.
const root = makeTempDir({ after }, 'modelprint-corpus');

before(async () => {
  const mirrors = path.join(root, 'mirrors');
  const sample = parseTsv(fs.readFileSync(path.join(SAMPLE, 'manifest.tsv'), 'utf8'));
  const byRepo = new Map<string, Map<string, Buffer>>();
  for (const row of sample) {
    const files = byRepo.get(row.repo!) ?? new Map<string, Buffer>();
    files.set(row.path!, fs.readFileSync(path.join(SAMPLE, row.file!)));
    byRepo.set(row.repo!, files);
  }
  assert.deepEqual([...byRepo.keys()].sort(), ['Inf-imagine/Sentry', 'comfyanonymous/ComfyUI_examples', 'dcsan/imagen']);

  // The three layouts a copy may have: a bare copy in <owner>+<name>/repo (dcsan), a plain clone
  // in <owner>+<name> (Sentry), and a clone elsewhere named with --source (ComfyUI).
  const heads = new Map<string, string>();
  const work = path.join(root, 'work', 'dcsan');
  heads.set('dcsan/imagen', makeRepo(work, byRepo.get('dcsan/imagen')!));
  git(root, 'clone', '-q', '--bare', work, path.join(mirrors, 'dcsan+imagen', 'repo'));
  heads.set('Inf-imagine/Sentry', makeRepo(path.join(mirrors, 'Inf-imagine+Sentry'), byRepo.get('Inf-imagine/Sentry')!));
  const comfy = path.join(root, 'elsewhere', 'comfy');
  heads.set('comfyanonymous/ComfyUI_examples', makeRepo(comfy, byRepo.get('comfyanonymous/ComfyUI_examples')!));

  // Crafted files: grids (lossless, lossy, wrong padding), misnamed WebP / JPEG, a photograph,
  // an unmatched file, and a blob removed from the copy afterwards (a partial clone's absent object).
  const { raw, width, height } = gridPixels();
  const gridPng = await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
  const badPad = Buffer.from(raw);
  badPad.set([255, 255, 255], (width * 1 + 70) * 3); // one white pixel in the top padding
  const crafted = new Map<string, Buffer>([
    ['grids/grid.png', gridPng],
    ['grids/grid.jpg', await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer()],
    ['grids/badpad.png', await sharp(badPad, { raw: { width, height, channels: 3 } }).png().toBuffer()],
    ['sniff/lossy-webp.png', await sharp(gradient(32, 1), { raw: { width: 32, height: 32, channels: 3 } }).webp({ quality: 70 }).toBuffer()],
    ['sniff/lossless-webp.png', await sharp(gradient(32, 2), { raw: { width: 32, height: 32, channels: 3 } }).webp({ lossless: true }).toBuffer()],
    ['sniff/jpeg.png', await sharp(gradient(40, 3), { raw: { width: 40, height: 40, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()],
    ['sniff/zz-copy-of-jpeg.png', await sharp(gradient(40, 3), { raw: { width: 40, height: 40, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()],
    ['sniff/gone.png', await sharp(gradient(16, 4), { raw: { width: 16, height: 16, channels: 3 } }).png().toBuffer()],
    ['photos/shot.jpg', await sharp(gradient(48, 5), { raw: { width: 48, height: 48, channels: 3 } }).jpeg({ quality: 92 }).toBuffer()],
    ['notes.txt', Buffer.from('not an image\n')],
  ]);
  const gridsDir = path.join(mirrors, 'test+grids');
  heads.set('test/grids', makeRepo(gridsDir, crafted));
  const gone = git(gridsDir, 'rev-parse', 'HEAD:sniff/gone.png');
  fs.rmSync(path.join(gridsDir, '.git', 'objects', gone.slice(0, 2), gone.slice(2)));

  // The committed rules for the sample's repositories (at the test repositories' commits), plus
  // the crafted repository and a source no copy exists of.
  const committed = loadDefinition(DEFAULT_DEFINITION);
  const definition = parseDefinition({
    ...committed,
    sources: [
      ...committed.sources.filter((s) => heads.has(s.repo)).map((s) => ({ ...s, commit: heads.get(s.repo)! })),
      {
        repo: 'test/grids',
        commit: heads.get('test/grids')!.slice(0, 10),
        naming: 'path',
        scope: ['**'],
        rules: [
          { match: 'grids/*', generator: 'test-grid', family: 'test', kind: 'generator', split: 'calibration', grid: GRID },
          { match: 'sniff/*', generator: 'test-sniff', family: 'test', kind: 'generator', split: 'validation' },
          { match: 'photos/*', generator: 'TestPhotos', family: 'camera', kind: 'photo', split: 'train' },
        ],
      },
      { repo: 'nobody/missing', commit: 'abcdef0', naming: 'path', scope: ['**'], rules: [{ match: '**', generator: 'missing-gen', family: 'x', kind: 'generator', split: 'train' }] },
    ],
  });
  fixture = {
    root,
    mirrors,
    definition,
    sample,
    gridSha256: sha256Hex(gridPng),
    options: (out, extra = {}) => ({
      definition,
      definitionRef: { name: 'test-sources.json', sha256: '0'.repeat(64) },
      mirrors,
      explicitSources: new Map([['comfyanonymous/ComfyUI_examples', comfy]]),
      out,
      ...extra,
    }),
  };
  fs.writeFileSync(path.join(root, 'test-sources.json'), JSON.stringify(definition));
});

test('the sample is copied byte for byte, sniffed, and split by generator; missing sources and objects are reported', async () => {
  const out = path.join(fixture.root, 'out-a');
  const result = await buildCorpus(fixture.options(out));
  const rows = parseTsv(fs.readFileSync(path.join(out, 'manifest.tsv'), 'utf8'));
  assert.equal(rows.length, result.rows.length);

  // Every sample file, at its published path, written with exactly its published bytes.
  const sampleRows = rows.filter((r) => r.repo !== 'test/grids');
  assert.equal(sampleRows.length, fixture.sample.length);
  for (const published of fixture.sample) {
    const row = sampleRows.find((r) => r.repo === published.repo && r.path === published.path);
    assert.ok(row, `${published.repo}:${published.path} is in the manifest`);
    assert.equal(row.sha256, published.sha256);
    assert.equal(row.source_sha256, published.sha256);
    assert.equal(sha256Hex(fs.readFileSync(path.join(out, row.file!))), published.sha256, row.file);
    assert.match(row.commit!, /^[0-9a-f]{40}$/);
    assert.equal(row.tile, '');
  }
  // dcsan names: <prompt folder>_<file>, as the shared sample does; elsewhere the path with '__'.
  assert.ok(rows.some((r) => r.file === 'train/dalle-mini/definition-beauty-74103307_dmin-8.png'));
  assert.ok(rows.some((r) => r.file === 'calibration/sd15/assets__visualization__mpbench__SDv15-dpmsolver-25-15K__0.png'));

  // By generator: every label in exactly its split, and each generator folder in one split only.
  for (const row of rows.filter((r) => r.repo !== 'test/grids')) {
    assert.equal(row.split, EXPECTED_SPLITS[row.generator!], `${row.generator} split`);
    assert.ok(row.file!.startsWith(`${row.split}/${row.generator}/`));
  }
  const foldersBySplit = ['train', 'calibration', 'validation'].map((s) => new Set(fs.readdirSync(path.join(out, s)).filter((n) => n !== 'manifest.json')));
  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.deepEqual([...foldersBySplit[i]!].filter((g) => foldersBySplit[j]!.has(g)), []);
  const calibration = JSON.parse(fs.readFileSync(path.join(out, 'calibration', 'manifest.json'), 'utf8'));
  assert.match(calibration.about, /^Calibration population: \d+ real public generators \(/);
  assert.ok(calibration.generators.some((g: { name: string; source: string }) => g.name === 'sd15' && g.source.startsWith('Inf-imagine/Sentry@')));

  // Formats come from the bytes: WebP and JPEG named .png are what they are, and lossy.
  const sniff = (name: string) => rows.find((r) => r.path === `sniff/${name}`)!;
  assert.deepEqual([sniff('lossy-webp.png').format, sniff('lossy-webp.png').lossy], ['webp', 'true']);
  assert.deepEqual([sniff('lossless-webp.png').format, sniff('lossless-webp.png').lossy], ['webp', 'false']);
  assert.deepEqual([sniff('jpeg.png').format, sniff('jpeg.png').lossy], ['jpeg', 'true']);
  assert.match(sniff('jpeg.png').notes!, /jpeg content named \.png/);
  for (const row of sampleRows) assert.deepEqual([row.format, row.lossy], ['png', 'false'], row.file);

  // Photographs go to photos/<split>/<data set>/, never into a generator split folder.
  assert.ok(rows.some((r) => r.file === 'photos/train/TestPhotos/photos__shot.jpg' && r.kind === 'photo'));

  // The missing source and the absent object are reported, the rest is built.
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'corpus.json'), 'utf8'));
  const missing = summary.sources.find((s: { repo: string }) => s.repo === 'nobody/missing');
  assert.deepEqual([missing.status, missing.commit, missing.written], ['absent', null, 0]);
  assert.deepEqual(summary.totals.sourcesAbsent, ['nobody/missing']);
  const grids = summary.sources.find((s: { repo: string }) => s.repo === 'test/grids');
  assert.equal(grids.status, 'present');
  assert.equal(grids.absentObjects, 1);
  assert.equal(grids.skipped[ABSENT_OBJECT], 1);
  assert.equal(grids.skipped[DUPLICATE], 1);
  assert.equal(grids.skipped[NO_RULE], 1);
  assert.equal(result.unreadable, 1);
  assert.equal(summary.totals.images, rows.length);
  assert.equal(JSON.stringify(summary).includes(fixture.root), false, 'no machine path in corpus.json');
});

test('a lossless grid is cut into its exact tiles; a lossy grid and a grid of another layout are skipped', async () => {
  const out = path.join(fixture.root, 'out-grid');
  const result = await buildCorpus(fixture.options(out));
  const tiles = result.rows.filter((r) => r.generator === 'test-grid');
  assert.deepEqual(
    tiles.map((t) => [t.file, t.tile]),
    [1, 2].flatMap((r) => [1, 2, 3].map((c) => [`calibration/test-grid/grids__grid__r${r}c${c}.png`, `${r},${c} of 2x3`])),
  );
  for (const tile of tiles) {
    const bytes = fs.readFileSync(path.join(out, tile.file));
    assert.equal(tile.sha256, sha256Hex(bytes));
    assert.equal(tile.sourceSha256, fixture.gridSha256);
    assert.equal(tile.format, 'png');
    assert.equal(tile.lossy, false);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [64, 48, 3]);
    const [r, c] = tile.tile.split(' ')[0]!.split(',').map(Number);
    const colour = COLOURS[(r! - 1) * 3 + (c! - 1)]!;
    for (let i = 0; i < data.length; i += 3) assert.deepEqual([data[i], data[i + 1], data[i + 2]], colour, `${tile.file} is one solid tile, no padding`);
  }
  const skipped = result.sources.find((s) => s.repo === 'test/grids')!.skippedFiles;
  assert.match(skipped.find((s) => s.path === 'grids/grid.jpg')!.reason, /^lossy grid \(jpeg\)/);
  assert.match(skipped.find((s) => s.path === 'grids/badpad.png')!.reason, /padding is not one uniform colour/);
  assert.equal(fs.existsSync(path.join(out, 'calibration', 'test-grid', 'grids__grid.jpg')), false);
});

test('two builds give byte-identical manifests; a rebuild removes what the definition no longer names', async () => {
  const out = path.join(fixture.root, 'out-twice');
  const other = path.join(fixture.root, 'elsewhere-out');
  await buildCorpus(fixture.options(out));
  const first = ['manifest.tsv', 'corpus.json', 'validation/manifest.json'].map((f) => fs.readFileSync(path.join(out, f)));
  const stale = path.join(out, 'train', 'old-generator', 'old.png');
  fs.mkdirSync(path.dirname(stale), { recursive: true });
  fs.writeFileSync(stale, 'left by an earlier build');
  fs.writeFileSync(path.join(out, 'train', 'dalle-mini', `${TEMP_MARK}123-x.png`), 'interrupted');
  fs.writeFileSync(path.join(out, 'keep-me.txt'), 'not the builder\'s');
  const again = await buildCorpus(fixture.options(out));
  await buildCorpus(fixture.options(other));
  ['manifest.tsv', 'corpus.json', 'validation/manifest.json'].forEach((f, i) => {
    assert.ok(fs.readFileSync(path.join(out, f)).equals(first[i]!), `${f} identical on a re-run`);
    assert.ok(fs.readFileSync(path.join(other, f)).equals(first[i]!), `${f} identical in another folder`);
  });
  assert.equal(again.removedStale, 2);
  assert.equal(fs.existsSync(path.dirname(stale)), false);
  assert.equal(fs.existsSync(path.join(out, 'keep-me.txt')), true);
});

test('Ctrl-C (an aborted signal) stops the build with no half-written file and no manifest', async () => {
  const out = path.join(fixture.root, 'out-abort');
  const controller = new AbortController();
  let seen = 0;
  await assert.rejects(
    buildCorpus(fixture.options(out, { signal: controller.signal, onProgress: () => (++seen === 1 ? controller.abort() : undefined) })),
    (error: Error) => error.name === 'AbortError',
  );
  const all = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  assert.equal(all.some((e) => e.name.startsWith(TEMP_MARK)), false);
  assert.equal(fs.existsSync(path.join(out, 'manifest.tsv')), false);
  assert.equal(fs.existsSync(path.join(out, 'corpus.json')), false);
});

test('modelprint corpus build: --json summary, exit 5 when a source is missing, usage errors exit 2', () => {
  const bin = path.join(repoRoot, 'bin', 'modelprint.js');
  const out = path.join(fixture.root, 'out-cli');
  const run = spawnSync(
    nodeBinary,
    [bin, '--json', 'corpus', 'build', '--mirrors', fixture.mirrors, '--source', `comfyanonymous/ComfyUI_examples=${path.join(fixture.root, 'elsewhere', 'comfy')}`, '--sources', path.join(fixture.root, 'test-sources.json'), '--out', out],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 5, run.stderr);
  const json = JSON.parse(run.stdout);
  assert.equal(json.totals.sourcesAbsent[0], 'nobody/missing');
  assert.equal(json.sources.find((s: { repo: string }) => s.repo === 'dcsan/imagen').location, path.join(fixture.mirrors, 'dcsan+imagen', 'repo'));
  assert.ok(fs.existsSync(path.join(out, 'manifest.tsv')));
  const usage = spawnSync(nodeBinary, [bin, 'corpus', 'build', '--out', out], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--mirrors/);
});

test('the committed definition is valid, names only the allowed repositories at their commits, and keeps the split', () => {
  const definition = loadDefinition(DEFAULT_DEFINITION);
  const allowed = new Map([...fs.readFileSync(REAL_DATA, 'utf8').matchAll(/^\|\s*([\w.-]+\/[\w.-]+)\s*@\s*([0-9a-f]{7,40})/gm)].map((m) => [m[1]!, m[2]!]));
  assert.ok(allowed.size >= 10);
  for (const source of definition.sources) {
    assert.ok(allowed.has(source.repo), `${source.repo} is listed in real-data.md`);
    assert.equal(source.commit, allowed.get(source.repo), `${source.repo} at the commit real-data.md gives`);
  }
  const labels = new Map<string, string>();
  for (const source of definition.sources) for (const rule of source.rules) if ('split' in rule) labels.set(rule.generator, rule.split);
  assert.deepEqual(Object.fromEntries([...labels].sort()), Object.fromEntries(Object.entries(EXPECTED_SPLITS).sort()));

  // A label in two splits is refused when the definition is loaded.
  const twice = structuredClone(definition);
  const rules = twice.sources[0]!.rules;
  const take = rules.find((r) => 'split' in r)!;
  if (!('split' in take)) throw new Error('no take rule');
  rules.push({ ...take, match: 'elsewhere/*', split: take.split === 'train' ? 'validation' : 'train' });
  assert.throws(() => parseDefinition(twice), /a label has one split/);
  assert.throws(() => parseDefinition({ ...definition, sources: [{ ...definition.sources[0]!, commit: 'HEAD' }] }), /commit/);

  // The committed manifest, when there is one, is of this definition's repositories and commits.
  if (fs.existsSync(COMMITTED_MANIFEST)) {
    const rows = parseTsv(fs.readFileSync(COMMITTED_MANIFEST, 'utf8'));
    for (const row of rows) {
      const source = definition.sources.find((s) => s.repo === row.repo);
      assert.ok(source && row.commit!.startsWith(source.commit), `${row.repo} ${row.commit}`);
      assert.match(row.sha256!, /^[0-9a-f]{64}$/);
      assert.equal(row.split, EXPECTED_SPLITS[row.generator!]);
    }
  }
});

test('globs: one segment, any depth, alternatives', () => {
  assert.ok(globToRegExp('output/renders/*/dmin-*').test('output/renders/a-prompt/dmin-3.png'));
  assert.equal(globToRegExp('output/renders/*/dmin-*').test('output/renders/a/b/dmin-3.png'), false);
  assert.ok(globToRegExp('**/*edit*').test('qwen_image/qwen_image_edit_basic_example.png'));
  assert.ok(globToRegExp('output/renders/*/dal2{-*,.*}').test('output/renders/x/dal2.jpg'));
  assert.ok(globToRegExp('assets/visualization/mpbench/IF-{ddim-50-15K,dpmsolver++-10-15K}/*').test('assets/visualization/mpbench/IF-dpmsolver++-10-15K/0.png'));
  assert.equal(globToRegExp('a.png').test('aXpng'), false);
});
