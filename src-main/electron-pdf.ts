// Report PDFs in the desktop app: Electron's own Chromium prints the report HTML, so the app needs
// no separate browser. Each call uses a hidden, sandboxed window with JavaScript off, in its own
// in-memory session (the report HTML carries its own CSP; nothing it contains can fetch).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BrowserWindow, session } from 'electron';
import { printOptions, type RenderPdf } from '../src-engine/report/pdf/render-pdf.ts';
import { PACKAGED_APP_BASE } from './app-origin.ts';
import { lockDownSession } from './lockdown.ts';
import { REPORT_PRINTING_PARTITION } from './window-policy.ts';

let printingSessionLocked = false;

/** The printing window's session gets the main session's rules: no permissions, no network. */
function lockDownPrintingSession(): void {
  if (printingSessionLocked) return;
  // app:// as the base: the printing window may fetch nothing over the network at all.
  lockDownSession(session.fromPartition(REPORT_PRINTING_PARTITION), PACKAGED_APP_BASE);
  printingSessionLocked = true;
}

export const renderPdfWithElectron: RenderPdf = async (html, chrome) => {
  // A file rather than a data: URL: reports with figures can exceed what a URL should carry.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelprint-report-'));
  const file = path.join(dir, 'report.html');
  lockDownPrintingSession();
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false, partition: REPORT_PRINTING_PARTITION },
  });
  try {
    await fs.writeFile(file, html, 'utf8');
    await window.loadFile(file);
    return new Uint8Array(await window.webContents.printToPDF(printOptions(chrome)));
  } finally {
    window.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  }
};
