import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBrowserHost } from '../../host/browser-host.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';

const DEFAULT_STATIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist-web');

/** Serves the UI to a browser on loopback (off unless asked for): for testing and headless machines. */
export const serveCommand: Command = async (ctx, args) => {
  const { values } = parseArgs({ args, options: { port: { type: 'string', default: '0' }, static: { type: 'string' } }, strict: true });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  const host = await startBrowserHost({ home: ctx.library.home, staticDir: values.static ?? DEFAULT_STATIC, port, actor: ctx.actor });
  if (ctx.json) ctx.emitJson({ url: host.url, port: host.port });
  else ctx.print(`Modelprint is served on loopback only. Open:\n  ${host.url}\nCtrl-C stops it.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  return ExitCode.ok;
};
