// The `serve` mode: a fresh engine on the library at `home`, reachable from a browser on loopback.
import path from 'node:path';
import { createEngine } from '../engine.ts';
import { serveEngine, type LoopbackServer } from './loopback-server.ts';

export interface BrowserHostOptions {
  /** The library folder. */
  home: string;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Who acts, for custody and audit (defaults to the OS user). */
  actor?: string;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<LoopbackServer> {
  // Absolute, so staged upload paths compare equal to the engine's staging folder.
  const engine = createEngine({ home: path.resolve(options.home), host: 'browser', actor: options.actor });
  let server: LoopbackServer;
  try {
    server = await serveEngine(engine, { staticDir: options.staticDir, port: options.port });
  } catch (error) {
    await engine.close();
    throw error;
  }
  return {
    ...server,
    async close() {
      await server.close();
      await engine.close();
    },
  };
}
