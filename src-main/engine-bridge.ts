// Connects the engine to the renderer: one IPC channel for every API call, one for events.
import { BrowserWindow, ipcMain } from 'electron';
import { dispatch } from '../src-engine/api/dispatch.ts';
import type { Engine } from '../src-engine/api/engine-types.ts';
import { toErrorPayload } from '../src-engine/api/errors.ts';
import { isTrustedSender } from './app-origin.ts';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from './ipc-protocol.ts';

/** Registers the handlers; returns a function that removes them and stops forwarding events. */
export function bridgeEngine(engine: Engine, appBase: string): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<InvokeReply> => {
    // Not a reply: a frame that is not the app has no business here, and gets no detail.
    if (!isTrustedSender(event.senderFrame, appBase)) throw new Error('refused');
    try {
      // dispatch checks the method name and validates the input against the contract.
      return { ok: true, value: await dispatch(engine.handlers, String(method), input) };
    } catch (error) {
      const payload = toErrorPayload(error);
      if (payload.code === 'internal') console.error(`[engine] ${String(method)} failed:`, error);
      return { ok: false, error: payload };
    }
  });

  const unsubscribe = engine.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
