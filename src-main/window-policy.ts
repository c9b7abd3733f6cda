// Which renderer the window may load and whether DevTools open, decided without Electron so the
// rules are unit-tested under plain Node. A packaged app, and any production build however it is
// started, loads only app://: ELECTRON_RENDERER_URL (set by `electron-vite dev`) is honoured only
// in a development build that is not packaged, and only when it names a loopback dev server, so no
// environment variable can redefine the origin the IPC bridge trusts.
import { PACKAGED_APP_BASE } from './app-origin.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface RendererChoice {
  isPackaged: boolean;
  /** Baked in at build time: true only in what `electron-vite dev` builds. */
  devBuild: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export function rendererBase({ isPackaged, devBuild, env }: RendererChoice): string {
  const requested = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || !devBuild || !requested) return PACKAGED_APP_BASE;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    throw new Error(`ELECTRON_RENDERER_URL is not a URL: ${requested}`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`ELECTRON_RENDERER_URL must name a dev server on this machine (http://localhost:PORT), not ${requested}`);
  }
  return requested;
}

/** DevTools in development only: a packaged app has none, nor has the report-printing window. */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}

/** The in-memory session of the hidden window that prints report PDFs. */
export const REPORT_PRINTING_PARTITION = 'modelprint-report-printing';
