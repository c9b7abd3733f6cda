import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppRequest, isAppUrl, isTrustedSender, PACKAGED_APP_BASE } from '../../src-main/app-origin.ts';

test('app URLs are those on the app scheme and host', () => {
  assert.equal(isAppUrl('app://modelprint/index.html', PACKAGED_APP_BASE), true);
  assert.equal(isAppUrl('app://modelprint/assets/x.js?v=1#frag', PACKAGED_APP_BASE), true);
  assert.equal(isAppUrl('app://other/index.html', PACKAGED_APP_BASE), false);
  assert.equal(isAppUrl('https://modelprint/index.html', PACKAGED_APP_BASE), false);
  assert.equal(isAppUrl('file:///etc/passwd', PACKAGED_APP_BASE), false);
  assert.equal(isAppUrl('not a url', PACKAGED_APP_BASE), false);
  assert.equal(isAppUrl('about:blank', PACKAGED_APP_BASE), false);
});

test('a dev server base matches its own port only', () => {
  const devBase = 'http://localhost:5173';
  assert.equal(isAppUrl('http://localhost:5173/src/main.ts', devBase), true);
  assert.equal(isAppUrl('http://localhost:5174/', devBase), false);
  assert.equal(isAppUrl('http://localhost.evil.example:5173/', devBase), false);
  assert.equal(isAppUrl('ws://localhost:5173/', devBase), false);
});

test('only the top frame of an app page is a trusted sender', () => {
  assert.equal(isTrustedSender({ url: 'app://modelprint/index.html', parent: null }, PACKAGED_APP_BASE), true);
  assert.equal(isTrustedSender({ url: 'app://modelprint/index.html', parent: {} }, PACKAGED_APP_BASE), false);
  assert.equal(isTrustedSender({ url: 'https://evil.example/', parent: null }, PACKAGED_APP_BASE), false);
  assert.equal(isTrustedSender(null, PACKAGED_APP_BASE), false);
});

test('requests may reach the app and, in development, its dev server WebSocket', () => {
  const devBase = 'http://localhost:5173';
  assert.equal(isAppRequest('ws://localhost:5173/?token=x', devBase), true);
  assert.equal(isAppRequest('http://localhost:5173/src/App.svelte', devBase), true);
  assert.equal(isAppRequest('ws://localhost:9999/', devBase), false);
  assert.equal(isAppRequest('https://cdn.example/lib.js', devBase), false);
  assert.equal(isAppRequest('https://cdn.example/lib.js', PACKAGED_APP_BASE), false);
  assert.equal(isAppRequest('wss://modelprint/', PACKAGED_APP_BASE), false);
});
