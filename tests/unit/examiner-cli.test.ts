// `modelprint tag`, `bookmark`, `conclusion`, `declaration`, `signature` and `review` as an examiner
// runs them: item ranges, the contract's validation (exit 2), unknown items (exit 3), --list, and
// the report's choices of items that contradict each other.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';
import { generatedFixturesDir, nodeBinary, repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const BIN = path.join(repoRoot, 'bin', 'modelprint.js');

function modelprint(home: string, ...args: string[]): { code: number; json: any; stdout: string; stderr: string } {
  const run = spawnSync(nodeBinary, [BIN, '--home', home, ...args], { encoding: 'utf8' });
  const json = args.includes('--json') && run.stdout ? JSON.parse(run.stdout) : null;
  return { code: run.status ?? -1, json, stdout: run.stdout, stderr: run.stderr };
}

test('tags, bookmarks and the statement through the command line', (t) => {
  const home = makeTempDir(t, 'modelprint-cli-markings');
  assert.equal(modelprint(home, 'case', 'create', '--number', 'MK-1', '--title', 'Markings', '--examiner', 'J. Doe').code, 0);
  assert.equal(modelprint(home, 'import', '--case', 'MK-1', path.join(generatedFixturesDir, 'sd15'), path.join(generatedFixturesDir, 'sdxl')).code, 0);

  const tagged = modelprint(home, 'tag', '--case', 'MK-1', '--items', '1-2,4', 'same', 'kitchen');
  assert.equal(tagged.code, 0, tagged.stderr);
  assert.match(tagged.stdout, /Tag "same kitchen" added to items 1–2, 4/);
  assert.match(modelprint(home, 'tag', '--case', 'MK-1', '--item', '2', 'SAME KITCHEN').stdout, /Item 2 already carried the tag/);
  assert.equal(modelprint(home, 'tag', '--case', 'MK-1', '--items', '4', '--remove', 'same kitchen').code, 0);
  assert.deepEqual(modelprint(home, '--json', 'tag', '--case', 'MK-1', '--list').json, [{ tag: 'same kitchen', items: 2 }]);
  const refused = modelprint(home, 'tag', '--case', 'MK-1', '--item', '1', 'bell\u0007');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /A tag cannot hold control or invisible characters/);
  assert.equal(modelprint(home, 'tag', '--case', 'MK-1', 'no-items').code, 2);
  assert.equal(modelprint(home, 'tag', '--case', 'MK-1', '--item', '99', 'x').code, 3);

  assert.equal(modelprint(home, 'bookmark', '--case', 'MK-1', '--items', '2-3', '--comment', 'Key images').code, 0);
  assert.deepEqual(
    modelprint(home, '--json', 'bookmark', '--case', 'MK-1', '--list').json.map((b: { itemId: number; comment: string }) => [b.itemId, b.comment]),
    [
      [2, 'Key images'],
      [3, 'Key images'],
    ],
  );

  assert.match(modelprint(home, 'conclusion', '--case', 'MK-1').stdout, /No conclusions written/);
  assert.equal(modelprint(home, 'conclusion', '--case', 'MK-1', '--text', 'Items 2 and 3 show the same kitchen.').code, 0);
  assert.match(modelprint(home, 'declaration', '--case', 'MK-1', '--confirm').stdout, /the default wording; confirmed \d{4}-/);
  assert.equal(modelprint(home, 'signature', '--case', 'MK-1', '--name', 'J. Doe', '--date', '2026-13-01').code, 2);
  assert.equal(modelprint(home, 'signature', '--case', 'MK-1', '--name', 'J. Doe', '--role', 'Examiner', '--organisation', 'Lab', '--date', '2026-12-02').code, 0);
  assert.equal(modelprint(home, 'review', '--case', 'MK-1', '--outcome', 'perhaps').code, 2);
  const review = modelprint(home, '--json', 'review', '--case', 'MK-1', '--reviewer', 'A. Peer', '--outcome', 'agreed', '--date', '2026-12-03');
  assert.equal(review.code, 0);
  assert.deepEqual(review.json.review, { reviewer: 'A. Peer', date: '2026-12-03', outcome: 'agreed', comments: '' });
  assert.equal(review.json.signature.organisation, 'Lab');
  assert.equal(modelprint(home, 'report', '--case', 'MK-1', '--items', '1', '--all-items').code, 2);
});
