import type { ApiHandlers, EngineEvent } from './contract.ts';

/**
 * What the report needs from a PDF renderer: print this HTML on A4 (the page size and margins
 * come from the document's @page rule) with this running header and footer. The CLI and the
 * browser host use Chromium (report/pdf/chromium-pdf.ts); the Electron shell passes its own printToPDF.
 */
export interface PageChrome {
  /** HTML for the top margin; a `pageNumber` or `totalPages` class is filled in by the renderer. */
  headerHtml: string;
  footerHtml: string;
}

/** Rejects soon after `signal` aborts: a cancelled report must not wait for a long print to finish. */
export type RenderPdf = (html: string, chrome: PageChrome, signal?: AbortSignal) => Promise<Uint8Array>;

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
