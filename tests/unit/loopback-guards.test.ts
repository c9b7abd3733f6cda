import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { contentTypeFor, resolveStaticFile } from '../../src-engine/host/static-files.ts';
import { sanitiseUploadName } from '../../src-engine/host/upload-staging.ts';
import { isAllowedHost, isAllowedOrigin, bearerToken, tokenMatches } from '../../src-engine/host/request-guards.ts';

const root = path.resolve('/srv/app');

test('static paths resolve inside the root, / to index.html', () => {
  assert.equal(resolveStaticFile(root, '/'), path.join(root, 'index.html'));
  assert.equal(resolveStaticFile(root, '/assets/app%201.js'), path.join(root, 'assets', 'app 1.js'));
  for (const escape of ['/../etc/passwd', '/%2e%2e/x', '/a/..%2f..%2fx', '/%00', '/..%5cx', '/%E0%A4%A']) {
    assert.equal(resolveStaticFile(root, escape), null, escape);
  }
});

test('content types follow the extension', () => {
  assert.equal(contentTypeFor('a/index.HTML'), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('x.svg'), 'image/svg+xml');
  assert.equal(contentTypeFor('x.unknown'), 'application/octet-stream');
});

test('upload names keep only a safe base name', () => {
  assert.equal(sanitiseUploadName('photo.png'), 'photo.png');
  assert.equal(sanitiseUploadName('../../etc/passwd'), 'passwd');
  assert.equal(sanitiseUploadName('C:\\Users\\me\\shot.jpg'), 'shot.jpg');
  assert.equal(sanitiseUploadName('bad\u0000name\n.png'), 'badname.png');
  assert.equal(sanitiseUploadName('..'), null);
  assert.equal(sanitiseUploadName('dir/'), null);
  assert.equal(sanitiseUploadName(''), null);
  assert.ok(Buffer.byteLength(sanitiseUploadName('é'.repeat(300)) ?? '') <= 200);
});

test('request guards accept only loopback hosts, our origin and the exact token', () => {
  assert.equal(isAllowedHost('127.0.0.1:8080', 8080), true);
  assert.equal(isAllowedHost('LOCALHOST:8080', 8080), true);
  assert.equal(isAllowedHost('127.0.0.1:8081', 8080), false);
  assert.equal(isAllowedHost('attacker.example:8080', 8080), false);
  assert.equal(isAllowedHost(undefined, 8080), false);
  assert.equal(isAllowedOrigin(undefined, 8080), true);
  assert.equal(isAllowedOrigin('http://127.0.0.1:8080', 8080), true);
  assert.equal(isAllowedOrigin('null', 8080), false);
  assert.equal(isAllowedOrigin('http://127.0.0.1:8080.evil.example', 8080), false);
  assert.equal(bearerToken('Bearer abc_-1'), 'abc_-1');
  assert.equal(bearerToken('Basic abc'), null);
  assert.equal(tokenMatches('abc', 'abc'), true);
  assert.equal(tokenMatches('abd', 'abc'), false);
  assert.equal(tokenMatches(null, 'abc'), false);
});
