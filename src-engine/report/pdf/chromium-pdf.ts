// PDF rendering with a Chromium the machine already has (Debian's chromium, Google Chrome, or
// the one MODELPRINT_CHROMIUM names), driven by playwright-core: the CLI and the browser host
// have no Electron to print with. One browser is started on first use and reused until close().
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { printOptions, type PageChrome, type RenderPdf } from './render-pdf.ts';

const CANDIDATES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: [
    `${process.env['PROGRAMFILES'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Microsoft\\Edge\\Application\\msedge.exe`,
  ],
};

/** Flags for a headless browser that must stay offline and leave nothing behind. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['MODELPRINT_CHROMIUM'];
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`MODELPRINT_CHROMIUM points to ${configured}, which does not exist`);
    return configured;
  }
  const found = (CANDIDATES[process.platform] ?? []).find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error('PDF reports need Chromium or Google Chrome and none was found: install one (e.g. `apt-get install chromium`) or set MODELPRINT_CHROMIUM to its executable');
  }
  return found;
}

export interface ChromiumPdfRenderer {
  renderPdf: RenderPdf;
  close(): Promise<void>;
}

export function createChromiumPdfRenderer(): ChromiumPdfRenderer {
  let browser: Promise<Browser> | null = null;
  return {
    async renderPdf(html: string, chrome: PageChrome, signal?: AbortSignal) {
      signal?.throwIfAborted();
      // Ctrl-C in a terminal cancels the report job, which closes the page; playwright's default
      // would kill the browser under a print in progress ("Printing failed") instead.
      browser ??= chromium.launch({ executablePath: findChromium(), args: ARGS, handleSIGINT: false });
      // No scripts and no network: the report is static HTML with data: images.
      const context = await (await browser).newContext({ javaScriptEnabled: false, offline: true });
      const abort = () => void context.close();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        const page = await context.newPage();
        await page.route(/^(?!data:)/, (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        return new Uint8Array(await page.pdf(printOptions(chrome)));
      } catch (error) {
        signal?.throwIfAborted();
        throw error;
      } finally {
        signal?.removeEventListener('abort', abort);
        await context.close();
      }
    },
    async close() {
      const started = browser;
      browser = null;
      if (started) await (await started).close();
    },
  };
}
