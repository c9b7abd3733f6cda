// ModelprintApi over HTTP, for the renderer served by the loopback browser host. The host hands
// the page its bearer token in the URL fragment (never sent to the server in requests); it is kept
// in sessionStorage so a reload of the same tab still works.
import type { ApiErrorCode, ApiMethod, EngineEvent, JobStatus, ModelprintApi } from '../../../src-engine/api/contract.ts';
import { apiMethods } from '../../../src-engine/api/methods.ts';
import { decodeWire, encodeWire } from '../../../src-engine/api/wire.ts';

const TOKEN_KEY = 'modelprint.token';

/** An API failure as the examiner should see it: the engine's message, with its stable code. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode | 'network';
  constructor(code: ApiErrorCode | 'network', message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

function readToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    // Keep the secret out of the address bar and history once it is stored.
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function errorFrom(response: Response): Promise<ApiCallError> {
  const body = await response.text();
  try {
    const parsed = JSON.parse(body) as { error?: { code?: ApiErrorCode; message?: string } };
    if (parsed.error?.message) return new ApiCallError(parsed.error.code ?? 'internal', parsed.error.message);
  } catch {
    // Not the host's JSON error shape: fall through and report the HTTP status instead.
  }
  return new ApiCallError('internal', `HTTP ${response.status} ${response.statusText}${body ? `: ${body.slice(0, 200)}` : ''}`);
}

async function send(input: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    throw new ApiCallError('network', `Cannot reach the Modelprint host: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

export function createBrowserClient(): ModelprintApi {
  const token = readToken();

  // Thrown per call rather than at start-up, so the app can still render and show the problem.
  function authorization(): { Authorization: string } {
    if (!token) throw new ApiCallError('network', 'No access token: open the address printed by the Modelprint host (it ends in #token=…).');
    return { Authorization: `Bearer ${token}` };
  }

  async function call(method: ApiMethod, input: unknown): Promise<unknown> {
    const response = await send(`/api/${method}`, {
      method: 'POST',
      headers: { ...authorization(), 'Content-Type': 'application/json' },
      body: encodeWire(input ?? {}),
    });
    return decodeWire(await response.text());
  }

  // One EventSource shared by all listeners, open only while someone listens.
  const listeners = new Set<(event: EngineEvent) => void>();
  let source: EventSource | null = null;

  function onEvent(listener: (event: EngineEvent) => void): () => void {
    listeners.add(listener);
    if (!source && token) {
      source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) => {
        const event = decodeWire(message.data) as EngineEvent;
        for (const each of listeners) each(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }

  async function upload(file: File): Promise<string> {
    const response = await send(`/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { ...authorization(), 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    const { path } = (await response.json()) as { path: string };
    return path;
  }

  async function importDroppedFiles(caseId: string, files: File[]): Promise<JobStatus> {
    const paths: string[] = [];
    for (const file of files) paths.push(await upload(file));
    return (await call('startImport', { caseId, paths, via: 'upload' })) as JobStatus;
  }

  const methods = Object.fromEntries(apiMethods.map((method) => [method, (input: unknown) => call(method, input)]));
  return { ...methods, onEvent, importDroppedFiles } as ModelprintApi;
}
