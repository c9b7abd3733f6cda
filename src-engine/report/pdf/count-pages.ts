// Page count of a PDF written by Chromium's PDF backend (Skia), which the CLI and Electron both
// use: it writes its page tree as plain objects, one `/Type /Page` dictionary per page.
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  if (pages === 0) throw new Error('cannot count the pages of the rendered PDF: no page objects found');
  return pages;
}
