// The Electron shell: one window, the engine in this process, nothing else. All the work happens
// in the engine (plain Node, see src-engine); this file only wires it to the window.
import path from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import type { Engine } from '../src-engine/api/engine-types.ts';
import { createEngine } from '../src-engine/engine.ts';
import { defaultLibraryHome } from '../src-engine/base/paths.ts';
import { registerAppScheme, serveRendererFiles } from './app-protocol.ts';
import { bridgeEngine } from './engine-bridge.ts';
import { renderPdfWithElectron } from './electron-pdf.ts';
import { chooseImportPaths } from './import-dialog.ts';
import { lockDownSession, lockDownWebContents } from './lockdown.ts';
import { createMainWindow } from './main-window.ts';
import { devToolsAllowed, rendererBase } from './window-policy.ts';

// electron-vite lays the build out as out/main, out/preload and out/renderer.
const PRELOAD_PATH = path.join(import.meta.dirname, '../preload/index.cjs');
const RENDERER_DIR = path.join(import.meta.dirname, '../renderer');

// `electron-vite dev` serves the renderer from Vite's dev server (hot reload); builds use app://
// (window-policy.ts). The flag is baked in by electron.vite.config.ts, so no variable set at run
// time turns a production build into a development one.
declare const __MODELPRINT_DEV_BUILD__: boolean;
const devBuild = typeof __MODELPRINT_DEV_BUILD__ !== 'undefined' && __MODELPRINT_DEV_BUILD__ === true;
const appBase = rendererBase({ isPackaged: app.isPackaged, devBuild, env: process.env });

let engine: Engine | null = null;
let stopBridge: (() => void) | null = null;
let mainWindow: BrowserWindow | null = null;

function start(): void {
  const home = defaultLibraryHome();
  engine = createEngine({ home, host: 'electron', chooseImportPaths, renderPdf: renderPdfWithElectron });
  lockDownSession(session.defaultSession, appBase);
  serveRendererFiles(RENDERER_DIR);
  stopBridge = bridgeEngine(engine, appBase);
  mainWindow = createMainWindow({ preloadPath: PRELOAD_PATH, appBase, devTools: devToolsAllowed(app.isPackaged) });
  mainWindow.on('closed', () => (mainWindow = null));
}

function failToStart(error: unknown): void {
  console.error(error);
  dialog.showErrorBox('Modelprint could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}

// Two instances on one library would contend for its database: the second hands over to the first.
if (!app.requestSingleInstanceLock()) {
  app.exit(0);
} else {
  app.enableSandbox();
  registerAppScheme();
  lockDownWebContents(appBase);

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  // Closing the engine is asynchronous (jobs stop, the database closes cleanly): hold the quit until it is done.
  app.on('will-quit', (event) => {
    if (engine === null) return;
    event.preventDefault();
    const closing = engine;
    engine = null;
    stopBridge?.();
    closing
      .close()
      .catch((error: unknown) => console.error('[engine] close failed:', error))
      .finally(() => app.quit());
  });

  app.whenReady().then(start).catch(failToStart);
}
