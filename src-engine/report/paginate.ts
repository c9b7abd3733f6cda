// The contents page needs the page each part starts on, which only the PDF renderer knows (print
// CSS cannot give it: Chromium has no target-counter()). Every part starts on a new page and every
// contents entry links to its part, so the printed PDF's named destinations say where each part
// landed (pdf/pdf-structure.ts). Two prints of the whole document: the first with fixed-width
// placeholders for the numbers, the second with the numbers it found; the second is read back the
// same way and must agree entry for entry (and its page count with the last part's end), or the
// report is refused rather than printed with a wrong table of contents.
import { countPdfPages } from './pdf/count-pages.ts';
import { destinationPages } from './pdf/pdf-structure.ts';
import type { PageChrome, RenderPdf } from './pdf/render-pdf.ts';
import type { DocumentPart } from './report-document.ts';

export interface PaginatedPdf {
  pdf: Uint8Array;
  pages: number;
  firstPageOf: Map<string, number>;
  html: string;
}

export interface Layout {
  /** The contents part for the given page numbers (null: not known yet). */
  contents(firstPageOf: ReadonlyMap<string, number> | null): DocumentPart;
  /** Parts before the contents (the cover) and after it. */
  before: DocumentPart[];
  after: DocumentPart[];
  toHtml(parts: readonly DocumentPart[]): string;
  chrome: PageChrome;
}

/** Where each contents entry's part starts in this PDF; every listed part must be found. */
function firstPages(pdf: Uint8Array, parts: readonly DocumentPart[]): Map<string, number> {
  const found = destinationPages(pdf);
  const result = new Map<string, number>();
  for (const part of parts) {
    if (part.toc.length === 0) continue;
    const page = found.get(part.id);
    if (page === undefined) throw new Error(`the report's layout is inconsistent (part ${part.id} is not in the printed PDF): no report was written`);
    result.set(part.id, page);
  }
  return result;
}

export async function paginate(layout: Layout, renderPdf: RenderPdf, onPass?: (done: number, total: number) => void, signal?: AbortSignal): Promise<PaginatedPdf> {
  onPass?.(0, 2);
  const draft = await renderPdf(layout.toHtml([...layout.before, layout.contents(null), ...layout.after]), layout.chrome, signal);
  const firstPageOf = firstPages(draft, layout.after);
  onPass?.(1, 2);
  signal?.throwIfAborted();
  const html = layout.toHtml([...layout.before, layout.contents(firstPageOf), ...layout.after]);
  const pdf = await renderPdf(html, layout.chrome, signal);
  const printed = firstPages(pdf, layout.after);
  const pages = countPdfPages(pdf);
  onPass?.(2, 2);
  const moved = [...firstPageOf].filter(([id, page]) => printed.get(id) !== page);
  if (moved.length > 0 || pages < Math.max(0, ...printed.values())) {
    const [id, page] = moved[0] ?? ['', 0];
    throw new Error(`the report's layout is inconsistent (part ${id} listed on page ${page}, printed on page ${printed.get(id)}; ${pages} pages): the contents would be wrong, so no report was written`);
  }
  return { pdf, pages, firstPageOf, html };
}
