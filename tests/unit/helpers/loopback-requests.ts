// Raw HTTP requests for the loopback host tests: fetch() would normalise paths and forbids
// setting Host, both of which the tests need to control.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Calls one API method the way the browser client does. */
export async function callApi(
  host: { port: number; token: string },
  method: string,
  input: unknown,
): Promise<RawResponse> {
  return rawRequest(host.port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
}

/** Opens the event stream and resolves with the first `data:` line's JSON, then disconnects. */
export function firstEvent(host: { port: number; token: string }, onOpen: () => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: `/api/events?token=${encodeURIComponent(host.token)}`,
        headers: { Host: `127.0.0.1:${host.port}`, Accept: 'text/event-stream' },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`event stream answered ${res.statusCode}`));
        let buffered = '';
        let opened = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          if (!opened && buffered.startsWith(': connected\n\n')) {
            opened = true;
            onOpen();
          }
          const match = /^data: (.*)$/m.exec(buffered);
          if (match?.[1] !== undefined) {
            resolve(JSON.parse(match[1]));
            req.destroy();
          }
        });
      },
    );
    req.on('error', (error) => reject(error));
    req.end();
  });
}
