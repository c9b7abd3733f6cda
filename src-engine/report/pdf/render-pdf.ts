// What the report needs from a PDF renderer: print this HTML on A4 (the page size and margins
// come from the document's @page rule) with this running header and footer. The CLI and the
// browser host use Chromium (chromium-pdf.ts); the Electron shell passes its own printToPDF.
import type { PageChrome } from '../../api/engine-types.ts';

export type { PageChrome, RenderPdf } from '../../api/engine-types.ts';

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
