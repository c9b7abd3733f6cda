// The contents page needs the page each part starts on, which only the PDF renderer knows. Print
// CSS cannot give it (Chromium has no target-counter()), and reading the finished PDF back would
// need a PDF text extractor the examiner's machine does not have. Instead every part starts on a
// new page, so its first page is 1 + the pages of everything before it: the first pass renders
// each part alone (same stylesheet, same page box) and counts its pages; the second renders the
// whole document with those numbers in the contents. The contents' own length does not depend
// on the numbers (a fixed-width placeholder stands in on the first pass). The final page count
// must equal the sum of the parts, or the report is refused rather than printed with a wrong
// table of contents.
import { countPdfPages } from './pdf/count-pages.ts';
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

export async function paginate(layout: Layout, renderPdf: RenderPdf, onPart?: (done: number, total: number) => void, signal?: AbortSignal): Promise<PaginatedPdf> {
  const draft = [...layout.before, layout.contents(null), ...layout.after];
  const firstPageOf = new Map<string, number>();
  let next = 1;
  for (const [index, part] of draft.entries()) {
    signal?.throwIfAborted();
    firstPageOf.set(part.id, next);
    next += countPdfPages(await renderPdf(layout.toHtml([part]), layout.chrome, signal));
    onPart?.(index + 1, draft.length + 1);
  }
  const final = [...layout.before, layout.contents(firstPageOf), ...layout.after];
  const html = layout.toHtml(final);
  const pdf = await renderPdf(html, layout.chrome, signal);
  const pages = countPdfPages(pdf);
  onPart?.(draft.length + 1, draft.length + 1);
  if (pages !== next - 1) {
    throw new Error(`the report's layout is inconsistent (${pages} pages printed, ${next - 1} expected from its parts): the contents would be wrong, so no report was written`);
  }
  return { pdf, pages, firstPageOf, html };
}
