// The release manifest in code pins every shipped file: it must match resources/ exactly (run
// tools/write-release-manifest.ts after changing them), and a shipped file that was replaced, even
// one re-sealed so that its own card or hash sidecar agrees, is refused with an integrity error.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { IntegrityApiError } from '../../src-engine/api/integrity-error.ts';
import { RELEASE_FILES } from '../../src-engine/models/release-manifest.ts';
import { assertShippedFile, bundledResourceRoots } from '../../src-engine/models/shipped-files.ts';
import { releaseFiles } from '../../tools/write-release-manifest.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');

test('the release manifest lists every file under resources/ with its sha256 (regenerate it after changing them)', () => {
  assert.deepEqual(RELEASE_FILES, releaseFiles(path.join(repo, 'resources')));
  assert.ok(RELEASE_FILES['models/spectral-extractor-v2.onnx'], 'the extractor is pinned');
  assert.ok(RELEASE_FILES['calibration/spectral-extractor-v2.calibration.json'], 'its calibration is pinned');
  assert.ok(RELEASE_FILES['gallery/default-pack.json'], 'the default gallery is pinned');
  assert.deepEqual(bundledResourceRoots(path.join(repo, 'src-engine', 'models')), [path.join(repo, 'resources')]);
});

test('a shipped file that is not the released one is refused, however it was re-sealed; files elsewhere are not checked', (t) => {
  const root = makeTempDir(t, 'release-root');
  fs.mkdirSync(path.join(root, 'calibration'));
  const file = path.join(root, 'calibration', 'x.calibration.json');
  fs.writeFileSync(file, '{"as":"released"}');
  const manifest = { 'calibration/x.calibration.json': createHash('sha256').update('{"as":"released"}').digest('hex') };
  assertShippedFile(file, { roots: [root], manifest });
  // Replaced with a file whose own id/hash would verify: the manifest in code still says no.
  fs.writeFileSync(file, '{"as":"re-sealed by someone else","longer":true}');
  assert.throws(() => assertShippedFile(file, { roots: [root], manifest }), (error: unknown) => error instanceof IntegrityApiError && /not the file this release shipped/.test((error as Error).message));
  const extra = path.join(root, 'calibration', 'added.json');
  fs.writeFileSync(extra, '{}');
  assert.throws(() => assertShippedFile(extra, { roots: [root], manifest }), /not a file this release of Modelprint ships/);
  const elsewhere = path.join(makeTempDir(t, 'user-models'), 'mine.onnx');
  fs.writeFileSync(elsewhere, 'a model the user installed');
  assertShippedFile(elsewhere, { roots: [root], manifest });
});
