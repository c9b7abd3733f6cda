// The renderer's only way to the engine: the Electron preload's bridge when it is there, otherwise
// HTTP to the loopback browser host. Both satisfy the same typed contract.
import type { ModelprintApi } from '../../../src-engine/api/contract.ts';
import { createBrowserClient } from './browser-client.ts';

declare global {
  interface Window {
    modelprint?: ModelprintApi;
  }
}

export const api: ModelprintApi = window.modelprint ?? createBrowserClient();
