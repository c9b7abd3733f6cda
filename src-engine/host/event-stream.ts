// Engine events as Server-Sent Events: the browser's EventSource reconnects by itself, and the
// heartbeat comments keep idle connections from being dropped by anything in between.
import type { ServerResponse } from 'node:http';
import type { Engine } from '../api/engine-types.ts';
import { encodeWire } from '../api/wire.ts';

const HEARTBEAT_MS = 15_000;

/** Streams events to `res` until the client goes away; returns a function that ends the stream. */
export function streamEngineEvents(engine: Engine, res: ServerResponse, headers: Record<string, string>): () => void {
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const unsubscribe = engine.subscribe((event) => res.write(`data: ${encodeWire(event)}\n\n`));
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  res.on('close', end);
  return end;
}
