import type { RenderPdf } from '../report/pdf/render-pdf.ts';
import type { ApiHandlers, EngineEvent } from './contract.ts';

export interface EngineOptions {
  /** The library folder: cases live in <home>/cases. */
  home: string;
  host: 'electron' | 'browser';
  /** Who acts, for custody and audit (defaults to the OS user). */
  actor?: string;
  /** Native file dialog, given by the Electron shell; absent in the browser host and CLI. */
  chooseImportPaths?: (mode: 'files' | 'folder') => Promise<string[]>;
  /** Folder of the fingerprint models (default: resources/models, located by models/model-registry.ts). */
  modelsDir?: string;
  /** Prints report HTML to PDF: the Electron shell passes printToPDF; otherwise a local Chromium is used. */
  renderPdf?: RenderPdf;
}

export interface Engine {
  handlers: ApiHandlers;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Where the browser host stages uploaded (dropped) files before importing them. */
  stagingDir: string;
  close(): Promise<void>;
}
