// Keeps the window an app, not a browser: it shows only the app's own pages, opens nothing else,
// fetches nothing remote and grants no permissions. See Electron's security checklist.
import { app, type Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../src-engine/host/content-security-policy.ts';
import { isAppRequest, isAppUrl } from './app-origin.ts';

/** Network schemes a page could use to reach out; the app itself uses app:// (or the dev server). */
const NETWORK_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

export function lockDownSession(session: Session, appBase: string): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);

  // The CSP header also covers the dev server's pages; app:// responses already carry it.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  // Defence in depth behind the CSP: nothing may leave the machine, whatever the page asks for.
  session.webRequest.onBeforeRequest({ urls: NETWORK_URLS }, (details, callback) => {
    callback({ cancel: !isAppRequest(details.url, appBase) });
  });
}

export function lockDownWebContents(appBase: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-frame-navigate', (event) => {
      // about:srcdoc: the report preview's sandboxed iframe (no scripts), whose HTML the app made.
      if (!isAppUrl(event.url, appBase) && event.url !== 'about:srcdoc') event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url, appBase)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
