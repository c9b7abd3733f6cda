// A case database received from elsewhere may hold anything in its columns: a report row whose
// paths lead out of the case folder, an evidence row whose "hash" is a 64-character traversal.
// Every file the engine opens is named by the engine from validated values, so nothing outside the
// case folder is ever read, whatever the rows say.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { mock, test, type TestContext } from 'node:test';
import { Sha256 } from '../../src-engine/api/contract.ts';
import { assertSha256Hex, CaseIntegrityError, confinedCasePath, readConfinedFile } from '../../src-engine/cases/case-paths.ts';
import { reportFilePath } from '../../src-engine/cases/report-paths.ts';
import { serveEngine } from '../../src-engine/host/loopback-server.ts';
import { callApi } from './helpers/loopback-requests.ts';
import { writeSample } from './helpers/sample-images.ts';
import { openAsTamperer } from './helpers/tamper.ts';
import { makeTempDir } from './helpers/temp-dir.ts';
import { runJob, startEngine } from './helpers/test-engine.ts';

/** Records every path the fs module is asked to open or read while `work` runs. */
async function pathsOpenedDuring(t: TestContext, work: () => Promise<void>): Promise<string[]> {
  const opened: string[] = [];
  const note = (p: unknown) => {
    if (typeof p === 'string' || p instanceof URL) opened.push(path.resolve(String(p instanceof URL ? p.pathname : p)));
  };
  const wrap = <O extends object>(owner: O, name: keyof O & string) => {
    const original = owner[name] as unknown as (...a: unknown[]) => unknown;
    const spy = mock.method(owner as Record<string, (...a: unknown[]) => unknown>, name, function (this: unknown, ...args: unknown[]) {
      note(args[0]);
      return original.apply(this, args);
    });
    return spy;
  };
  const all = [
    wrap(fs, 'openSync'),
    wrap(fs, 'readFileSync'),
    wrap(fs, 'createReadStream'),
    wrap(fs, 'realpathSync'),
    wrap(fs.promises, 'open'),
    wrap(fs.promises, 'readFile'),
  ];
  try {
    await work();
  } finally {
    for (const spy of all) spy.mock.restore();
  }
  void t;
  return opened;
}

/** A 64-character string that, used as a hash, walks from the store to `target`. */
function traversalHash(caseDir: string, target: string): string {
  // evidencePath joins evidence/<first two chars>/<hash>; starting with ".." cancels "evidence".
  const rel = path.relative(caseDir, target);
  assert.ok(rel.startsWith('../') && rel.length < 60, rel);
  const rest = rel.slice(3);
  const pad = 64 - 3 - rest.length;
  return `../${pad % 2 === 1 ? '/' : ''}${'./'.repeat(Math.floor(pad / 2))}${rest}`;
}

test('a traversal hash is exactly the kind of value the store must refuse', (t) => {
  const caseDir = makeTempDir(t, 'modelprint-hostile-case');
  const hash = traversalHash(caseDir, path.join(path.dirname(caseDir), 'elsewhere', 'secret.png'));
  assert.equal(hash.length, 64);
  assert.equal(path.join(caseDir, 'evidence', hash.slice(0, 2), hash), path.resolve(path.dirname(caseDir), 'elsewhere', 'secret.png'));
  assert.throws(() => assertSha256Hex(hash, 'an evidence hash'), CaseIntegrityError);
  assert.equal(assertSha256Hex('a'.repeat(64), 'x'), 'a'.repeat(64));
  assert.throws(() => assertSha256Hex('A'.repeat(64), 'x'), CaseIntegrityError);
  assert.equal(Sha256.safeParse(hash).success, false);
});

test('confined paths: no absolute paths, no .. segments, no links out of the case folder', (t) => {
  const caseDir = makeTempDir(t, 'modelprint-hostile-case');
  const outside = makeTempDir(t, 'modelprint-hostile-outside');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  for (const bad of ['../x', '/etc/passwd', 'reports/../../x', 'reports//x', 'a\\..\\b', 'reports/\0x', '']) {
    assert.throws(() => confinedCasePath(caseDir, bad), CaseIntegrityError, bad);
  }
  assert.equal(confinedCasePath(caseDir, 'reports/a.pdf'), path.join(caseDir, 'reports', 'a.pdf'));
  fs.mkdirSync(path.join(caseDir, 'reports'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(caseDir, 'reports', 'link.pdf'));
  assert.throws(() => readConfinedFile(caseDir, path.join(caseDir, 'reports', 'link.pdf')), CaseIntegrityError);
  fs.writeFileSync(path.join(caseDir, 'reports', 'fine.pdf'), 'ok');
  assert.equal(readConfinedFile(caseDir, path.join(caseDir, 'reports', 'fine.pdf')).toString(), 'ok');
});

test('a report row must name the file where the engine writes it', () => {
  const row = { id: '0b8f8c2e-6a1f-4f3e-9c4d-2d7f1e9a0b11', created_utc: '2025-03-01T10:15:00.123Z' };
  const good = 'reports/20250301T101500Z-0b8f8c2e-6a1f-4f3e-9c4d-2d7f1e9a0b11';
  assert.equal(reportFilePath('/case', { ...row, pdf_path: `${good}.pdf`, json_path: `${good}.json` }, 'pdf'), `/case/${good}.pdf`);
  assert.throws(() => reportFilePath('/case', { ...row, pdf_path: '../../../../etc/passwd', json_path: `${good}.json` }, 'pdf'), CaseIntegrityError);
  assert.throws(() => reportFilePath('/case', { ...row, created_utc: '../../x', pdf_path: '../../x', json_path: '' }, 'pdf'), CaseIntegrityError);
  assert.throws(() => reportFilePath('/case', { ...row, id: '../../../../../etc/passwd', pdf_path: '', json_path: '' }, 'json'), CaseIntegrityError);
});

test('a case database with traversal in every path-bearing column reads nothing outside the case', async (t) => {
  const { engine, call, home } = startEngine(t);
  const outside = makeTempDir(t, 'modelprint-hostile-outside');
  const secretImage = await writeSample.png(outside, 'secret.png', 7);
  const secretText = path.join(outside, 'secret.txt');
  fs.writeFileSync(secretText, 'SECRET');
  const source = makeTempDir(t, 'modelprint-hostile-source');
  await writeSample.png(source, 'a.png', 1);
  await writeSample.jpeg(source, 'b.jpg');

  const summary = await call('createCase', { number: 'H-1', title: 'Received case', examiner: 'x', description: '' });
  const caseDir = path.join(home, 'cases', summary.id);
  const imported = await runJob(engine, () => call('startImport', { caseId: summary.id, paths: [source] }));
  assert.equal(imported.job.state, 'done');

  // The other lab's edits: every column that could name a file points outside the case folder.
  const db = openAsTamperer(caseDir);
  const rows = db.prepare('SELECT id FROM evidence_items ORDER BY id').all() as Array<{ id: number }>;
  assert.equal(rows.length, 2);
  db.prepare('UPDATE evidence_items SET sha256 = ?, has_thumbnail = 1 WHERE id = ?').run(traversalHash(caseDir, secretImage), rows[0]!.id);
  db.prepare('UPDATE evidence_items SET sha256 = ?, has_thumbnail = 1 WHERE id = ?').run(traversalHash(caseDir, secretText), rows[1]!.id);
  const reportId = '0b8f8c2e-6a1f-4f3e-9c4d-2d7f1e9a0b11';
  db.prepare(
    `INSERT INTO reports (id, created_utc, actor, pdf_path, pdf_sha256, pdf_bytes, json_path, json_sha256, json_bytes, pages, options, findings_digest, audit_head_seq, audit_head_hash)
     VALUES (?, '2025-03-01T10:15:00.000Z', 'x', ?, ?, 6, ?, ?, 6, 1, '{"itemIds":[],"sections":[]}', ?, 0, NULL)`,
  ).run(reportId, path.relative(caseDir, secretText), 'a'.repeat(64), secretText, 'b'.repeat(64), 'c'.repeat(64));
  db.close();

  const opened = await pathsOpenedDuring(t, async () => {
    for (const kind of ['pdf', 'json'] as const) {
      await assert.rejects(call('getReportFile', { caseId: summary.id, reportId, kind }), (error: Error) => {
        assert.match(error.message, /altered|not a path inside/);
        assert.doesNotMatch(error.message, /SECRET/);
        return true;
      });
    }
    // The same call over the loopback HTTP host, as the browser build makes it.
    const host = await serveEngine(engine, { staticDir: makeTempDir(t, 'modelprint-hostile-static') });
    try {
      for (const kind of ['pdf', 'json'] as const) {
        const response = await callApi(host, 'getReportFile', { caseId: summary.id, reportId, kind });
        assert.notEqual(response.status, 200);
        assert.doesNotMatch(response.body, /SECRET/);
        assert.match(response.body, /altered|not a path inside/);
      }
    } finally {
      await host.close();
    }
    const provenance = await runJob(engine, () => call('startProvenance', { caseId: summary.id }));
    assert.equal(provenance.job.state, 'done');
    const verify = await runJob(engine, () => call('startVerify', { caseId: summary.id }));
    assert.equal(verify.job.state, 'done');
    const fingerprint = await runJob(engine, () => call('startFingerprint', { caseId: summary.id }));
    assert.notEqual(fingerprint.job.state, 'running');
  });

  const leaked = opened.filter((p) => p.startsWith(outside));
  assert.deepEqual(leaked, [], `read outside the case folder: ${leaked.join(', ')}`);
  // What the engine did instead: provenance failed both items, verify recorded them as unreadable.
  const list = await call('listEvidence', { caseId: summary.id, offset: 0, limit: 10 });
  assert.equal(list.total, 2);
  const check = openAsTamperer(caseDir);
  const findings = check.prepare('SELECT item_id, kind, details FROM findings').all() as Array<{ item_id: number | null; kind: string; details: string }>;
  check.close();
  const ofItems = findings.filter((f) => f.item_id !== null && f.kind !== 'record_mismatch');
  assert.equal(ofItems.length, 2);
  // The edited rows themselves no longer match the audit chain, and the inserted report was never recorded.
  const records = findings.filter((f) => f.kind === 'record_mismatch').map((f) => JSON.parse(f.details) as { record: string; problem: string });
  assert.deepEqual(records.map((r) => [r.record, r.problem]), [['evidence', 'record_changed'], ['evidence', 'record_changed'], ['report', 'record_unrecorded']]);
  for (const f of ofItems) {
    assert.equal(f.kind, 'missing_file');
    assert.match(JSON.parse(f.details).message, /not a SHA-256/);
  }
  // verify re-hashes reports too: the row's paths are refused, not followed.
  const ofReports = findings.filter((f) => f.item_id === null && f.kind !== 'record_mismatch').map((f) => JSON.parse(f.details) as { reportId: string; file: string; message: string });
  assert.deepEqual(ofReports.map((f) => f.file).sort(), ['json', 'pdf']);
  for (const f of ofReports) assert.match(f.message, /altered/);
});
