// What the report needs from a PDF renderer: print this HTML on A4 (the page size and margins
// come from the document's @page rule) with this running header and footer. The CLI and the
// browser host use Chromium (chromium-pdf.ts); the Electron shell passes its own printToPDF.
export interface PageChrome {
  /** HTML for the top margin; a `pageNumber` or `totalPages` class is filled in by the renderer. */
  headerHtml: string;
  footerHtml: string;
}

/** Rejects soon after `signal` aborts: a cancelled report must not wait for a long print to finish. */
export type RenderPdf = (html: string, chrome: PageChrome, signal?: AbortSignal) => Promise<Uint8Array>;

/** The options both Chromium's page.pdf and Electron's printToPDF take under these names. */
export function printOptions(chrome: PageChrome) {
  return {
    printBackground: true,
    preferCSSPageSize: true,
    displayHeaderFooter: true,
    headerTemplate: chrome.headerHtml,
    footerTemplate: chrome.footerHtml,
  };
}
