// The desktop app's packaging and window rules, checked without Electron (which cannot run here):
// the electron-builder configuration and the fuses it flips, and the pure rules the main process
// applies (which renderer it loads, DevTools), plus the wiring that applies them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { PACKAGED_APP_BASE } from '../../src-main/app-origin.ts';
import { devToolsAllowed, REPORT_PRINTING_PARTITION, rendererBase } from '../../src-main/window-policy.ts';
import { repoRoot } from './helpers/repo-paths.ts';

const config = JSON.parse(fs.readFileSync(path.join(repoRoot, 'electron-builder.json'), 'utf8'));
const source = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');

test('the packaged binary has its dangerous fuses off and its integrity fuses on', () => {
  const fuses = config.electronFuses;
  assert.equal(fuses.runAsNode, false, 'ELECTRON_RUN_AS_NODE would turn the app into a plain Node');
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false, 'NODE_OPTIONS could preload code');
  assert.equal(fuses.enableNodeCliInspectArguments, false, '--inspect would open a debugger into the engine');
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
  assert.equal(fuses.enableCookieEncryption, true);
  assert.equal(fuses.grantFileProtocolExtraPrivileges, false);
  assert.equal(config.asar, true, 'asar integrity needs an asar');
});

test('packages for Linux (AppImage, deb), macOS (dmg) and Windows (NSIS), with the bundled resources', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  const pkg = JSON.parse(source('package.json'));
  assert.equal(pkg.main, 'out/main/index.js');
  assert.ok(config.files.includes('out/**/*'), 'the electron-vite build is what ships');
  // The engine finds these under process.resourcesPath (model-registry, default-gallery, ...).
  const resources = new Map<string, string>(config.extraResources.map((r: { from: string; to: string }) => [r.to, r.from]));
  for (const folder of ['models', 'gallery', 'calibration', 'ct-reference']) {
    assert.equal(resources.get(folder), `resources/${folder}`, folder);
    assert.ok(fs.existsSync(path.join(repoRoot, 'resources', folder)), folder);
  }
  // Native addons cannot load from inside an asar.
  assert.ok(config.asarUnpack.includes('**/*.node'));
});

test('only a development build, not packaged, loads ELECTRON_RENDERER_URL, and only from this machine', () => {
  const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
  assert.equal(rendererBase({ isPackaged: true, devBuild: true, env }), PACKAGED_APP_BASE);
  assert.equal(rendererBase({ isPackaged: false, devBuild: false, env }), PACKAGED_APP_BASE, 'a production build run unpackaged');
  assert.equal(rendererBase({ isPackaged: false, devBuild: true, env: {} }), PACKAGED_APP_BASE);
  assert.equal(rendererBase({ isPackaged: false, devBuild: true, env }), 'http://localhost:5173');
  assert.equal(rendererBase({ isPackaged: false, devBuild: true, env: { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' } }), 'http://127.0.0.1:5173/');
  for (const bad of ['https://evil.example/', 'http://localhost.evil.example:5173/', 'file:///tmp/index.html', 'app://other/', 'not a url']) {
    assert.throws(() => rendererBase({ isPackaged: false, devBuild: true, env: { ELECTRON_RENDERER_URL: bad } }), /ELECTRON_RENDERER_URL/, bad);
  }
  const viteConfig = source('electron.vite.config.ts');
  assert.match(viteConfig, /__MODELPRINT_DEV_BUILD__: JSON\.stringify\(process\.env\['NODE_ENV_ELECTRON_VITE'\] === 'development'\)/);
  assert.match(source('src-main/index.ts'), /rendererBase\(\{ isPackaged: app\.isPackaged, devBuild, env: process\.env \}\)/);
});

test('DevTools are off in a packaged app and in the report-printing window', () => {
  assert.equal(devToolsAllowed(true), false);
  assert.equal(devToolsAllowed(false), true);
  assert.match(source('src-main/index.ts'), /devTools: devToolsAllowed\(app\.isPackaged\)/);
  assert.match(source('src-main/main-window.ts'), /devTools: options\.devTools/);
  assert.match(source('src-main/electron-pdf.ts'), /devTools: false, partition: REPORT_PRINTING_PARTITION/);
});

test("the report-printing window's session is locked down like the main one", () => {
  assert.equal(REPORT_PRINTING_PARTITION, 'modelprint-report-printing');
  const pdf = source('src-main/electron-pdf.ts');
  assert.match(pdf, /lockDownSession\(session\.fromPartition\(REPORT_PRINTING_PARTITION\), PACKAGED_APP_BASE\)/);
  // Locked before the window that uses the session is made.
  assert.ok(pdf.indexOf('lockDownPrintingSession();') < pdf.indexOf('new BrowserWindow('));
  // lockDownSession is the one the main session gets: permission handlers and the request blocker.
  const lockdown = source('src-main/lockdown.ts');
  for (const rule of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'onBeforeRequest']) assert.ok(lockdown.includes(`session.${rule === 'onBeforeRequest' ? 'webRequest.onBeforeRequest' : rule}(`), rule);
});
