// Stands in for Chromium in report tests: a PDF with one page per report part, and the named
// destinations Chromium writes for link targets (each part's id -> its page), in the plain-object
// form Skia writes, so the report's pagination reads it as it reads a real print.
export function fakeReportPdf(document: string): Uint8Array {
  const ids = [...document.matchAll(/<section class="part" id="([^"]+)"/g)].map((m) => m[1]!);
  const page = (i: number) => `${10 + i} 0 R`;
  const objects = [
    `1 0 obj\n<</Type /Catalog\n/Pages 2 0 R\n/Dests 3 0 R>>\nendobj`,
    `2 0 obj\n<</Type /Pages\n/Count ${ids.length}\n/Kids [${ids.map((_, i) => page(i)).join(' ')}]>>\nendobj`,
    `3 0 obj\n<<${ids.map((id, i) => `/${id} [${page(i)} /XYZ 6 780 0]`).join('\n')}>>\nendobj`,
    ...ids.map((_, i) => `${10 + i} 0 obj\n<</Type /Page\n/Parent 2 0 R>>\nendobj`),
  ];
  return new TextEncoder().encode(`%PDF-1.4\n${objects.join('\n')}\n%%EOF`);
}
