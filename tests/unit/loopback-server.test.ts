// The loopback protocol against a stand-in engine: routing, guards, errors, uploads, events.
// browser-host.test.ts runs the same host against the real engine.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiHandlers, EngineEvent } from '../../src-engine/api/contract.ts';
import type { Engine } from '../../src-engine/api/engine-types.ts';
import { ApiError } from '../../src-engine/api/errors.ts';
import { CONTENT_SECURITY_POLICY } from '../../src-engine/host/content-security-policy.ts';
import { serveEngine, type LoopbackServer } from '../../src-engine/host/loopback-server.ts';
import { callApi, firstEvent, rawRequest } from './helpers/loopback-requests.ts';

const CASE_ID = '00000000-0000-4000-8000-000000000001';

function fakeEngine(stagingDir: string) {
  const listeners = new Set<(event: EngineEvent) => void>();
  const handlers = {
    listCases: async () => [],
    getCase: async ({ caseId }: { caseId: string }) => {
      throw new ApiError('not_found', `no case ${caseId}`);
    },
    getThumbnail: async () => new Uint8Array([1, 2, 255]),
    chooseImportPaths: async () => {
      throw new ApiError('unsupported', 'no native dialogs in the browser');
    },
    listJobs: async () => {
      throw new Error('disk on fire');
    },
  } as unknown as ApiHandlers;
  const engine: Engine = {
    handlers,
    stagingDir,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {},
  };
  return { engine, listeners, emit: (event: EngineEvent) => listeners.forEach((l) => l(event)) };
}

describe('loopback server', () => {
  let dir: string;
  let staticDir: string;
  let fake: ReturnType<typeof fakeEngine>;
  let host: LoopbackServer;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'modelprint-loopback-'));
    staticDir = path.join(dir, 'static');
    await mkdir(path.join(staticDir, 'assets'), { recursive: true });
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Modelprint</title>');
    await writeFile(path.join(staticDir, 'assets', 'app.js'), 'export {};');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the static root');
    fake = fakeEngine(path.join(dir, 'staging'));
    host = await serveEngine(fake.engine, { staticDir, maxJsonBytes: 1024, maxUploadBytes: 64 });
  });

  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('listens on loopback and hands out a URL carrying the token in the fragment', () => {
    assert.equal(host.origin, `http://127.0.0.1:${host.port}`);
    assert.equal(host.url, `${host.origin}/#token=${host.token}`);
    assert.equal(Buffer.from(host.token, 'base64url').length, 32);
  });

  test('serves index.html for / with the CSP and nosniff headers', async () => {
    const res = await rawRequest(host.port, { path: '/' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.body, /<title>Modelprint/);
    const script = await rawRequest(host.port, { path: '/assets/app.js' });
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  });

  test('refuses paths that leave the static folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await rawRequest(host.port, { path: attempt });
      assert.equal(res.status, 404, attempt);
      assert.doesNotMatch(res.body, /outside the static root/);
    }
  });

  test('refuses a Host header that is not a loopback name (DNS rebinding)', async () => {
    const res = await rawRequest(host.port, { path: '/', headers: { Host: `evil.example:${host.port}` } });
    assert.equal(res.status, 403);
    const ok = await rawRequest(host.port, { path: '/', headers: { Host: `localhost:${host.port}` } });
    assert.equal(ok.status, 200);
  });

  test('refuses cross-origin requests', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/listCases',
      headers: { Authorization: `Bearer ${host.token}`, Origin: 'https://evil.example' },
      body: '{}',
    });
    assert.equal(res.status, 403);
    const same = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/listCases',
      headers: { Authorization: `Bearer ${host.token}`, Origin: host.origin },
      body: '{}',
    });
    assert.equal(same.status, 200);
  });

  test('requires the token on API calls', async () => {
    const none = await rawRequest(host.port, { method: 'POST', path: '/api/listCases', body: '{}' });
    assert.equal(none.status, 401);
    const wrong = await callApi({ port: host.port, token: 'x'.repeat(43) }, 'listCases', {});
    assert.equal(wrong.status, 401);
    const events = await rawRequest(host.port, { path: '/api/events?token=nope' });
    assert.equal(events.status, 401);
  });

  test('round-trips a call, bytes included', async () => {
    const list = await callApi(host, 'listCases', {});
    assert.equal(list.status, 200);
    assert.deepEqual(JSON.parse(list.body), []);
    const thumb = await callApi(host, 'getThumbnail', { caseId: CASE_ID, sha256: 'a'.repeat(64) });
    assert.deepEqual(JSON.parse(thumb.body), { $bytes: Buffer.from([1, 2, 255]).toString('base64') });
  });

  test('maps error codes to statuses with a JSON error body', async () => {
    const cases: Array<[string, unknown, number, string]> = [
      ['getCase', { caseId: 'not-a-uuid' }, 400, 'invalid_input'],
      ['noSuchMethod', {}, 400, 'invalid_input'],
      ['getCase', { caseId: CASE_ID }, 404, 'not_found'],
      ['chooseImportPaths', { mode: 'files' }, 501, 'unsupported'],
    ];
    for (const [method, input, status, code] of cases) {
      const res = await callApi(host, method, input);
      assert.equal(res.status, status, method);
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, code, method);
    }
    const originalConsoleError = console.error;
    console.error = () => {};
    try {
      const internal = await callApi(host, 'listJobs', {});
      assert.equal(internal.status, 500);
      assert.deepEqual(JSON.parse(internal.body), { error: { code: 'internal', message: 'disk on fire' } });
    } finally {
      console.error = originalConsoleError;
    }
  });

  test('refuses malformed and oversized JSON bodies', async () => {
    const bad = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/listCases',
      headers: { Authorization: `Bearer ${host.token}` },
      body: '{nope',
    });
    assert.equal(bad.status, 400);
    const big = await callApi(host, 'listCases', { padding: 'x'.repeat(2048) });
    assert.equal(big.status, 413);
  });

  test('stages an upload under a fresh folder, keeping only the base name', async () => {
    const res = await rawRequest(host.port, {
      method: 'POST',
      path: `/api/upload?name=${encodeURIComponent('../../evil/photo 1.png')}`,
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' },
      body: Buffer.from('PNGDATA'),
    });
    assert.equal(res.status, 200);
    const { path: staged } = JSON.parse(res.body) as { path: string };
    assert.equal(path.basename(staged), 'photo 1.png');
    assert.equal(path.dirname(path.dirname(staged)), fake.engine.stagingDir);
    assert.equal(await readFile(staged, 'utf8'), 'PNGDATA');
  });

  test('refuses uploads without a usable name or over the size limit, leaving nothing behind', async () => {
    const before = await readdir(fake.engine.stagingDir);
    const nameless = await rawRequest(host.port, {
      method: 'POST',
      path: `/api/upload?name=..`,
      headers: { Authorization: `Bearer ${host.token}` },
      body: 'data',
    });
    assert.equal(nameless.status, 400);
    const declaredTooBig = await rawRequest(host.port, {
      method: 'POST',
      path: `/api/upload?name=big.png`,
      headers: { Authorization: `Bearer ${host.token}` },
      body: Buffer.alloc(100),
    });
    assert.equal(declaredTooBig.status, 413);
    const streamedTooBig = await rawRequest(host.port, {
      method: 'POST',
      path: `/api/upload?name=big.png`,
      headers: { Authorization: `Bearer ${host.token}`, 'Transfer-Encoding': 'chunked' },
      body: Buffer.alloc(100),
    });
    assert.equal(streamedTooBig.status, 400);
    assert.deepEqual(await readdir(fake.engine.stagingDir), before);
  });

  test('streams engine events and drops the subscriber when the client leaves', async () => {
    const event: EngineEvent = { type: 'case-changed', caseId: CASE_ID };
    const received = await firstEvent(host, () => fake.emit(event));
    assert.deepEqual(received, event);
    for (let i = 0; i < 50 && fake.listeners.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fake.listeners.size, 0);
  });

  test('closes even while an event stream is open', async () => {
    const extra = await serveEngine(fakeEngine(path.join(dir, 'staging2')).engine, { staticDir });
    const stream = rawRequest(extra.port, { path: `/api/events?token=${extra.token}` });
    await new Promise((r) => setTimeout(r, 50));
    await extra.close();
    await stream;
  });
});
