// One running Modelprint for an end-to-end test: a fresh library in a temp folder, the real
// engine behind the real loopback browser host, and Chromium showing the built renderer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeWire, encodeWire } from '../../../src-engine/api/wire.ts';
import { startBrowserHost } from '../../../src-engine/host/browser-host.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** CI clones the repository with shared/ beside it. */
export const fixturesDir = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'generated');
const staticDir = path.join(repoRoot, 'dist-web');
const screenshotDir = path.join(repoRoot, 'docs', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningApp {
  page: Page;
  home: string;
  /** Calls the API as the page would, for setting up data the test is not about. */
  call<T>(method: string, input: unknown): Promise<T>;
  /** Everything the page reported as an error (console errors, uncaught exceptions). */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function startApp(name: string): Promise<RunningApp> {
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error('dist-web/ is missing: run `npm run build:web` first (npm run test:e2e does).');
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `modelprint-e2e-${name}-`));
  const host = await startBrowserHost({ home, staticDir, actor: 'examiner.e2e' });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Chromium always warns that a <meta> CSP cannot set frame-ancestors; the host sends it as a header.
      if (message.type() === 'error' && !message.text().includes('frame-ancestors')) pageErrors.push(message.text());
    });
    await page.goto(host.url);
    const openBrowser = browser;
    return {
      page,
      home,
      pageErrors,
      async call<T>(method: string, input: unknown): Promise<T> {
        const response = await fetch(`${host.origin}/api/${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
          body: encodeWire(input),
        });
        const body = await response.text();
        if (!response.ok) throw new Error(`${method} failed: ${body}`);
        return decodeWire(body) as T;
      },
      async close() {
        await openBrowser.close();
        await host.close();
        fs.rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await host.close();
    fs.rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

/** Saves docs/screenshots/<name>.png, only when SCREENSHOTS=1 so ordinary runs leave the tree clean. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  fs.mkdirSync(screenshotDir, { recursive: true });
  // Park the pointer on the title bar so no hover outline looks like a selection.
  await page.mouse.move(5, 5);
  // Plotly's mode bar fades out once the pointer leaves a chart.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `modelprint-e2e-${name}-`));
}
