// Serves an engine and the built renderer over HTTP on 127.0.0.1, so the app can run in an
// ordinary browser (for the `serve` command and for end-to-end tests in Chromium). The protocol
// mirrors the Electron IPC bridge: one POST per API method, validated by the same dispatcher.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiErrorCode, ApiErrorPayload } from '../api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import type { Engine } from '../api/engine-types.ts';
import { toErrorPayload } from '../api/errors.ts';
import { decodeWire, encodeWire } from '../api/wire.ts';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts';
import { streamEngineEvents } from './event-stream.ts';
import { bearerToken, isAllowedHost, isAllowedOrigin, tokenMatches } from './request-guards.ts';
import { contentTypeFor, resolveStaticFile } from './static-files.ts';
import { MAX_UPLOAD_BYTES, stageUpload } from './upload-staging.ts';

export interface LoopbackServer {
  /** Open this in a browser: the token travels in the fragment, which is never sent to a server. */
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  maxJsonBytes?: number;
  maxUploadBytes?: number;
}

const DEFAULT_MAX_JSON_BYTES = 8 * 1024 ** 2;

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unsupported: 501,
  internal: 500,
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A request refused before it reaches the engine, with the HTTP status that says why. */
class Refusal extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  constructor(status: number, code: ApiErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendError(res: ServerResponse, error: unknown): void {
  const payload: ApiErrorPayload =
    error instanceof Refusal ? { code: error.code, message: error.message } : toErrorPayload(error);
  const status = error instanceof Refusal ? error.status : STATUS_BY_CODE[payload.code];
  if (payload.code === 'internal') console.error('[loopback host]', error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // An unread request body (a refused upload, say) is not worth draining: drop the connection.
  if (!res.req.complete) res.setHeader('Connection', 'close');
  sendJson(res, status, JSON.stringify({ error: payload }));
}

function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  return header === undefined ? null : Number(header);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new Refusal(413, 'invalid_input', `the request body is larger than ${limit} bytes`);
  if ((declaredLength(req) ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseInput(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return decodeWire(body);
  } catch {
    throw new Refusal(400, 'invalid_input', 'the request body is not valid JSON');
  }
}

async function serveStaticFile(req: IncomingMessage, res: ServerResponse, staticDir: string, pathname: string) {
  const filePath = resolveStaticFile(staticDir, pathname);
  const stats = filePath === null ? null : await stat(filePath).catch(() => null);
  if (filePath === null || stats === null || !stats.isFile()) throw new Refusal(404, 'not_found', 'no such file');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeFor(filePath),
    'Content-Length': stats.size,
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(filePath).on('error', (error) => res.destroy(error)).pipe(res);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function serveEngine(engine: Engine, options: LoopbackOptions): Promise<LoopbackServer> {
  const maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const token = randomBytes(32).toString('base64url');
  const endOpenStreams = new Set<() => void>();
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const origin = `http://127.0.0.1:${port}`;

  function requireToken(candidate: string | null): void {
    if (!tokenMatches(candidate, token)) throw new Refusal(401, 'invalid_input', 'missing or wrong access token');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) throw new Refusal(403, 'invalid_input', 'unexpected Host header');
    if (!isAllowedOrigin(req.headers.origin, port)) throw new Refusal(403, 'invalid_input', 'cross-origin request refused');
    const [pathname = '/', query = ''] = (req.url ?? '/').split('?', 2);
    const apiRoute = /^\/api\/([A-Za-z]+)$/.exec(pathname);

    if (apiRoute === null) {
      if (pathname.startsWith('/api/')) throw new Refusal(404, 'not_found', 'no such API route');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new Refusal(405, 'invalid_input', 'method not allowed');
      await serveStaticFile(req, res, options.staticDir, pathname);
      return;
    }

    const route = apiRoute[1];
    if (route === 'events') {
      if (req.method !== 'GET') throw new Refusal(405, 'invalid_input', 'events are read with GET');
      // EventSource cannot send headers, so this one route takes the token from the query.
      requireToken(new URLSearchParams(query).get('token'));
      const end = streamEngineEvents(engine, res, SECURITY_HEADERS);
      endOpenStreams.add(end);
      res.on('close', () => endOpenStreams.delete(end));
      return;
    }

    if (req.method !== 'POST') throw new Refusal(405, 'invalid_input', 'API calls use POST');
    requireToken(bearerToken(req.headers.authorization));

    if (route === 'upload') {
      if ((declaredLength(req) ?? 0) > maxUploadBytes) {
        throw new Refusal(413, 'invalid_input', `the upload is larger than ${maxUploadBytes} bytes`);
      }
      const name = new URLSearchParams(query).get('name') ?? '';
      const stagedPath = await stageUpload(req, engine.stagingDir, name, maxUploadBytes);
      sendJson(res, 200, JSON.stringify({ path: stagedPath }));
      return;
    }

    const input = parseInput(await readBody(req, maxJsonBytes));
    const output = await dispatch(engine.handlers, route ?? '', input);
    sendJson(res, 200, encodeWire(output));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => sendError(res, error));
  });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    async close() {
      for (const end of endOpenStreams) end();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
