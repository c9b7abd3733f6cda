// Where the app's own pages live, and the checks that keep everything else out of the window and
// away from the IPC bridge. No Electron import, so the checks are unit-tested under plain Node.

/** Built renderer files are served from this privileged scheme rather than file://, which would
 * make every local file same-origin with the app. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'modelprint';
export const PACKAGED_APP_BASE = `${APP_SCHEME}://${APP_HOST}/`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` has the same scheme, host and port as `appBase`. Compared by parts because
 * URL.origin is "null" for custom schemes such as app://.
 */
export function isAppUrl(url: string, appBase: string): boolean {
  const candidate = parse(url);
  const base = parse(appBase);
  if (candidate === null || base === null) return false;
  return candidate.protocol === base.protocol && candidate.host === base.host && candidate.host !== '';
}

const WEBSOCKET_FOR: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:' };

/**
 * True when the page may fetch `url`: an app URL, or a WebSocket to the same host (Vite's dev
 * server pushes hot reloads over one).
 */
export function isAppRequest(url: string, appBase: string): boolean {
  if (isAppUrl(url, appBase)) return true;
  const candidate = parse(url);
  const base = parse(appBase);
  if (candidate === null || base === null) return false;
  return WEBSOCKET_FOR[base.protocol] === candidate.protocol && candidate.host === base.host;
}

/** The part of Electron's WebFrameMain these checks read. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** Only the app's own top-level page may call the engine: not iframes, not anything navigated elsewhere. */
export function isTrustedSender(frame: SenderFrame | null | undefined, appBase: string): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url, appBase);
}
