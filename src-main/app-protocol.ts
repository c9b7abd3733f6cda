// Serves the built renderer on app://modelprint/ instead of file://: a real origin for the CSP
// ('self') and the sender checks, and the same headers the loopback host sends.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../src-engine/host/content-security-policy.ts';
import { contentTypeFor, resolveStaticFile } from '../src-engine/host/static-files.ts';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/** Must run before the app is ready: privileges cannot be granted later. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // standard: relative URLs and a host; secure: treated like https; supportFetchAPI: module scripts load.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export function serveRendererFiles(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return notFound();
    const filePath = resolveStaticFile(rendererDir, url.pathname);
    if (filePath === null) return notFound();
    const body = await readFile(filePath).catch(() => null);
    if (body === null) return notFound();
    return new Response(body, {
      headers: {
        'Content-Type': contentTypeFor(filePath),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
