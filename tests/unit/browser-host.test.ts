// The loopback browser host with the real engine on a temporary library.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CaseSummary, EngineEvent, JobStatus } from '../../src-engine/api/contract.ts';
import { startBrowserHost } from '../../src-engine/host/browser-host.ts';
import type { LoopbackServer } from '../../src-engine/host/loopback-server.ts';
import { callApi, firstEvent, rawRequest } from './helpers/loopback-requests.ts';

describe('browser host', () => {
  let dir: string;
  let host: LoopbackServer;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'modelprint-browser-host-'));
    const staticDir = path.join(dir, 'static');
    await mkdir(staticDir);
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Modelprint</title>');
    await writeFile(path.join(dir, 'outside.txt'), 'not for the browser');
    host = await startBrowserHost({ home: path.join(dir, 'library'), staticDir, actor: 'test examiner' });
  });

  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('requires the token', async () => {
    const res = await rawRequest(host.port, { method: 'POST', path: '/api/listCases', body: '{}' });
    assert.equal(res.status, 401);
  });

  test('rejects a foreign Host header', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/listCases',
      headers: { Host: 'rebound.example', Authorization: `Bearer ${host.token}` },
      body: '{}',
    });
    assert.equal(res.status, 403);
  });

  test('rejects directory traversal', async () => {
    const res = await rawRequest(host.port, { path: '/%2e%2e/outside.txt' });
    assert.equal(res.status, 404);
  });

  test('creates and lists a case', async () => {
    const created = await callApi(host, 'createCase', { number: 'MP-1', title: 'Round trip', examiner: 'A. Examiner' });
    assert.equal(created.status, 200, created.body);
    const summary = JSON.parse(created.body) as CaseSummary;
    assert.equal(summary.number, 'MP-1');
    const listed = JSON.parse((await callApi(host, 'listCases', {})).body) as CaseSummary[];
    assert.ok(listed.some((each) => each.id === summary.id));
    const invalid = await callApi(host, 'createCase', { number: '', title: 'x', examiner: 'y' });
    assert.equal(invalid.status, 400);
  });

  test('refuses native dialogs: the browser has none', async () => {
    const res = await callApi(host, 'chooseImportPaths', { mode: 'files' });
    assert.equal(res.status, 501);
  });

  test('imports an uploaded file and streams the job over SSE', async () => {
    const created = JSON.parse(
      (await callApi(host, 'createCase', { number: 'MP-2', title: 'Upload', examiner: 'A. Examiner' })).body,
    ) as CaseSummary;
    const upload = await rawRequest(host.port, {
      method: 'POST',
      path: `/api/upload?name=${encodeURIComponent('dropped.bin')}`,
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' },
      body: Buffer.from('not really an image'),
    });
    assert.equal(upload.status, 200, upload.body);
    const { path: staged } = JSON.parse(upload.body) as { path: string };
    assert.ok(existsSync(staged));

    let job: JobStatus | null = null;
    const event = (await firstEvent(host, () => {
      void callApi(host, 'startImport', { caseId: created.id, paths: [staged], via: 'upload' }).then((res) => {
        job = JSON.parse(res.body) as JobStatus;
      });
    })) as EngineEvent;
    assert.ok(event.type === 'job' || event.type === 'case-changed');
    assert.equal(event.type === 'job' ? event.job.caseId : event.caseId, created.id);

    // Wait for the job to finish, then check the file was recorded and the staging folder emptied.
    for (let i = 0; i < 200; i++) {
      const jobs = JSON.parse((await callApi(host, 'listJobs', {})).body) as JobStatus[];
      if (jobs.some((each) => each.caseId === created.id && each.state !== 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.ok(job !== null);
    const evidence = JSON.parse((await callApi(host, 'listEvidence', { caseId: created.id })).body) as { total: number };
    assert.equal(evidence.total, 1);
    assert.equal(existsSync(path.dirname(staged)), false);
  });
});
