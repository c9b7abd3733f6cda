// What the main process and the preload agree on. Replies carry errors as data because Electron
// reduces an error thrown from ipcMain.handle to a prefixed message and drops its code.
import type { ApiErrorPayload } from '../src-engine/api/contract.ts';

export const INVOKE_CHANNEL = 'modelprint:invoke';
export const EVENT_CHANNEL = 'modelprint:event';

export type InvokeReply = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };
