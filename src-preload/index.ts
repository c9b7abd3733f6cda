// The renderer's only door to the engine (window.modelprint). This runs in a sandboxed preload,
// so it is bundled into one CommonJS file and may import nothing at runtime but 'electron' and
// the plain list of method names.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiErrorPayload, EngineEvent, JobStatus, ModelprintApi } from '../src-engine/api/contract.ts';
import { apiMethods } from '../src-engine/api/methods.ts';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from '../src-main/ipc-protocol.ts';

/**
 * The error carries `code` as the contract describes, but contextBridge hands the page only an
 * Error's message (electron/electron#25596): under Electron the renderer must not rely on `code`.
 */
function toError(payload: ApiErrorPayload): Error {
  return Object.assign(new Error(payload.message), { name: 'ApiError', code: payload.code });
}

async function invoke(method: string, input: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, method, input)) as InvokeReply;
  if (reply.ok) return reply.value;
  throw toError(reply.error);
}

const methods = Object.fromEntries(apiMethods.map((method) => [method, (input: unknown) => invoke(method, input)]));

const api: ModelprintApi = {
  ...(methods as Omit<ModelprintApi, 'onEvent' | 'importDroppedFiles'>),

  onEvent(listener: (event: EngineEvent) => void): () => void {
    // A wrapper per subscription: the page's function arrives as a fresh proxy on every call,
    // so it could not be used to remove the listener later.
    const forward = (_event: IpcRendererEvent, engineEvent: EngineEvent) => listener(engineEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },

  async importDroppedFiles(caseId: string, files: File[]): Promise<JobStatus> {
    // Files that exist only in memory (pasted, generated) have no path and cannot be imported by path.
    const paths = files.map((file) => webUtils.getPathForFile(file)).filter((filePath) => filePath !== '');
    if (paths.length === 0) throw toError({ code: 'invalid_input', message: 'none of the dropped items is a file on disk' });
    return (await invoke('startImport', { caseId, paths, via: 'path' })) as JobStatus;
  },
};

contextBridge.exposeInMainWorld('modelprint', api);
