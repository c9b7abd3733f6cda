// Hash sets: plain lists and NSRL RDS-style CSV read line by line (SHA-256 and MD5, any case),
// bad lines counted with reasons, each set stored once with its file's hash, imports and removals
// in the store's hash-chained history, items matched by either intake hash, and the API around them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { parseHashList } from '../../src-engine/hash-sets/parse-hash-list.ts';
import { importHashSet, listHashSets, removeHashSet, verifyHashSetHistory, withHashSets } from '../../src-engine/hash-sets/hash-set-store.ts';
import { listHistory } from '../../src-engine/db/chained-history.ts';
import { matchItems } from '../../src-engine/hash-sets/match-items.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { writeSample } from './helpers/sample-images.ts';
import { TEST_ACTOR } from './helpers/test-case.ts';
import { apiError, runJob, startEngine } from './helpers/test-engine.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function writeList(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('a plain list keeps SHA-256 and MD5 lines in any case, skips comments and blanks, and counts bad lines', async (t) => {
  const dir = makeTempDir(t, 'hash-plain');
  const text = [
    '# lab list of generated images',
    '',
    sha256('a').toUpperCase(),
    `${md5('b')}  b.png`,
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'not a hash',
    sha256('a'),
  ].join('\r\n');
  const file = writeList(dir, 'plain.txt', text);
  const parsed = await parseHashList(file);
  assert.equal(parsed.format, 'plain');
  assert.deepEqual([...parsed.hashes].sort(), [sha256('a'), md5('b')].sort());
  assert.equal(parsed.badLineCount, 2);
  assert.deepEqual(parsed.badLines.map((b) => b.line), [5, 6]);
  assert.match(parsed.badLines[0]?.reason ?? '', /SHA-1/);
  assert.equal(parsed.sourceSha256, sha256(text));
});

test('an NSRL RDS-style CSV is read by its header: MD5 and SHA-256 columns, quoted fields, short rows counted', async (t) => {
  const dir = makeTempDir(t, 'hash-rds');
  const file = writeList(
    dir,
    'NSRLFile.txt',
    [
      '\uFEFF"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode","SHA-256"',
      `"0000000F8527DCCAB6642252BBCFA1B8072D33EE","${md5('c').toUpperCase()}","1B1C2E0B","camera, one.jpg",1024,1,"WIN","","${sha256('c').toUpperCase()}"`,
      `"00000091728653B7D55DF30BFAFE86C9B4C5B9F4","${md5('d')}","A1B2C3D4","d.jpg",2048,1,"WIN","",""`,
      '"broken","row"',
      `"0000","zz","00","e.jpg",1,1,"WIN","","nothex"`,
    ].join('\n'),
  );
  const parsed = await parseHashList(file);
  assert.equal(parsed.format, 'nsrl-rds');
  assert.deepEqual([...parsed.hashes].sort(), [md5('c'), sha256('c'), md5('d')].sort());
  assert.equal(parsed.badLineCount, 2);
  assert.deepEqual(parsed.badLines.map((b) => b.line), [4, 5]);
});

test('sets are imported once by name, listed with counts, matched by either hash, removed, all in the chained history', async (t) => {
  const home = makeTempDir(t, 'hash-home');
  const dir = makeTempDir(t, 'hash-lists');
  const generated = writeList(dir, 'generated.txt', `${sha256('x')}\n${md5('y')}\nbad\n`);
  const rds = writeList(dir, 'rds.csv', `"SHA-1","MD5","CRC32","FileName"\n"00","${md5('x')}","00","x.png"\n`);
  await withHashSets(home, async (db) => {
    const outcome = await importHashSet(db, { name: 'Lab generated', category: 'known-generated', file: generated, actor: 'tester' });
    assert.deepEqual([outcome.set.sha256Count, outcome.set.md5Count, outcome.set.badLineCount], [1, 1, 1]);
    assert.equal(outcome.set.sourceSha256, sha256(fs.readFileSync(generated, 'utf8')));
    await importHashSet(db, { name: 'NSRL', category: 'known-good', file: rds, actor: 'tester' });
    await assert.rejects(importHashSet(db, { name: 'NSRL', category: 'other', file: rds, actor: 'tester' }), /already exists/);
    await assert.rejects(importHashSet(db, { name: 'Empty', category: 'other', file: writeList(dir, 'empty.txt', '# nothing\n'), actor: 'tester' }), /holds no SHA-256 or MD5/);
    assert.deepEqual(listHashSets(db).map((s) => s.name), ['Lab generated', 'NSRL']);

    const matches = matchItems(db, [
      { id: 1, sha256: sha256('x'), md5: md5('x') },
      { id: 2, sha256: sha256('y'), md5: md5('y') },
      { id: 3, sha256: sha256('z'), md5: md5('z') },
    ]);
    assert.deepEqual(matches.get(1)?.map((m) => [m.setName, m.category, m.algorithm]), [['Lab generated', 'known-generated', 'sha256'], ['NSRL', 'known-good', 'md5']]);
    assert.deepEqual(matches.get(2)?.map((m) => m.algorithm), ['md5']);
    assert.equal(matches.has(3), false);

    removeHashSet(db, 'NSRL', 'tester');
    assert.throws(() => removeHashSet(db, 'NSRL', 'tester'), /no hash set named "NSRL"/);
    assert.deepEqual(matchItems(db, [{ id: 1, sha256: sha256('x'), md5: md5('x') }]).get(1)?.map((m) => m.setName), ['Lab generated']);
    assert.deepEqual(listHistory(db).map((e) => e.action), ['hashset.imported', 'hashset.imported', 'hashset.removed']);
    assert.equal(verifyHashSetHistory(db).ok, true);
  });
});

test('the API imports, lists and removes sets, validates its inputs, and shows matches in evidence rows, details and the hash-set filter', async (t) => {
  const { engine, call } = startEngine(t);
  const { id: caseId } = await call('createCase', { number: 'HS-API', title: 'Hash sets', examiner: TEST_ACTOR });
  const evidence = makeTempDir(t, 'hash-api-evidence');
  const a = await writeSample.png(evidence, 'a.png', 1);
  const b = await writeSample.png(evidence, 'b.png', 2);
  await writeSample.png(evidence, 'c.png', 3);
  await runJob(engine, () => call('startImport', { caseId, paths: [evidence] }));
  const lists = makeTempDir(t, 'hash-api-lists');
  const fileHash = (file: string, algorithm: 'sha256' | 'md5') => createHash(algorithm).update(fs.readFileSync(file)).digest('hex');
  const generated = writeList(lists, 'generated.txt', `${fileHash(a, 'sha256')}\n`);
  const camera = writeList(lists, 'camera.txt', `${fileHash(b, 'md5')}\n`);

  await assert.rejects(call('importHashSet', { name: 'G', category: 'generated', path: generated }), apiError('invalid_input'));
  await assert.rejects(call('importHashSet', { name: '  ', category: 'known-generated', path: generated }), apiError('invalid_input'));
  await assert.rejects(call('importHashSet', { name: 'G', category: 'known-generated', path: path.join(lists, 'missing.txt') }), apiError('not_found'));
  const outcome = await call('importHashSet', { name: 'Generated', category: 'known-generated', path: generated });
  assert.equal(outcome.set.sha256Count, 1);
  await call('importHashSet', { name: 'Camera', category: 'known-camera-original', path: camera });
  assert.deepEqual((await call('listHashSets', {})).map((s) => s.name), ['Camera', 'Generated']);

  const names = async (hashSet: string) => (await call('listEvidence', { caseId, query: { hashSet } })).items.map((i) => i.originalName);
  assert.deepEqual(await names('any'), ['a.png', 'b.png']);
  assert.deepEqual(await names('known-camera-original'), ['b.png']);
  assert.deepEqual(await names('none'), ['c.png']);
  assert.equal((await call('listEvidence', { caseId, query: { hashSet: 'any' } })).total, 2);
  await assert.rejects(call('listEvidence', { caseId, query: { hashSet: 'camera' } }), apiError('invalid_input'));
  const rows = (await call('listEvidence', { caseId })).items;
  assert.deepEqual(rows.map((r) => r.hashSetMatches.map((m) => m.setName)), [['Generated'], ['Camera'], []]);
  const detail = await call('getEvidence', { caseId, itemId: 2 });
  assert.deepEqual(detail.hashSetMatches, [{ setName: 'Camera', category: 'known-camera-original', setSha256: fileHash(camera, 'sha256'), algorithm: 'md5' }]);

  assert.deepEqual((await call('removeHashSet', { name: 'Camera' })).map((s) => s.name), ['Generated']);
  await assert.rejects(call('removeHashSet', { name: 'Camera' }), apiError('not_found'));
  assert.deepEqual(await names('any'), ['a.png']);
});
