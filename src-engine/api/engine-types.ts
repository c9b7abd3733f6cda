import type { ApiHandlers, EngineEvent } from './contract.ts';

export interface EngineOptions {
  /** The library folder: cases live in <home>/cases. */
  home: string;
  host: 'electron' | 'browser';
  /** Who acts, for custody and audit (defaults to the OS user). */
  actor?: string;
  /** Native file dialog, given by the Electron shell; absent in the browser host and CLI. */
  chooseImportPaths?: (mode: 'files' | 'folder') => Promise<string[]>;
}

export interface Engine {
  handlers: ApiHandlers;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Where the browser host stages uploaded (dropped) files before importing them. */
  stagingDir: string;
  close(): Promise<void>;
}
