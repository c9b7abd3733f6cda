// Reads the page tree and the named destinations of a PDF written by Chromium's PDF backend
// (Skia), which the CLI and Electron both print with. Skia writes its dictionaries as plain
// objects (no object streams): the catalog's /Dests maps every link target of the document (an
// element id that a link points at) to [page-object /XYZ x y zoom], and the /Pages tree orders the
// page objects. Together they give the page each link target landed on, which is how the report
// learns where each of its parts starts without a second layout engine or a PDF text extractor.

/** Object number -> its dictionary text (stream data skipped). */
function objects(text: string): Map<number, string> {
  const found = new Map<number, string>();
  const header = /(\d+)\s+\d+\s+obj\b/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(text)) !== null) {
    const start = header.lastIndex;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const streamAt = text.indexOf('stream', start);
    const bodyEnd = streamAt >= 0 && streamAt < end ? streamAt : end;
    found.set(Number(match[1]), text.slice(start, bodyEnd));
    // Resume after the object: binary stream data must not be read as object headers.
    header.lastIndex = streamAt >= 0 && streamAt < end ? Math.max(end, text.indexOf('endstream', streamAt)) : end;
  }
  return found;
}

function reference(dictionary: string, key: string): number | null {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+\\d+\\s+R`).exec(dictionary);
  return match ? Number(match[1]) : null;
}

/** Page object numbers in page order. */
function pageOrder(objs: Map<number, string>, root: number): number[] {
  const pages: number[] = [];
  const visit = (id: number, depth: number) => {
    const node = objs.get(id);
    if (node === undefined || depth > 64) throw new Error(`the PDF's page tree is broken at object ${id}`);
    if (/\/Type\s*\/Pages\b/.test(node)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+)\s+\d+\s+R/g)) visit(Number(kid[1]), depth + 1);
    } else {
      pages.push(id);
    }
  };
  visit(root, 0);
  return pages;
}

/** The 1-based page of every named destination (link target) of the PDF. */
export function destinationPages(pdf: Uint8Array): Map<string, number> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const objs = objects(text);
  const catalog = [...objs.values()].find((o) => /\/Type\s*\/Catalog\b/.test(o));
  if (!catalog) throw new Error('the rendered PDF has no catalog');
  const root = reference(catalog, 'Pages');
  if (root === null) throw new Error('the rendered PDF has no page tree');
  const order = new Map(pageOrder(objs, root).map((id, index) => [id, index + 1]));
  const destsRef = reference(catalog, 'Dests');
  const dests = destsRef === null ? '' : (objs.get(destsRef) ?? '');
  const result = new Map<string, number>();
  for (const entry of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+\d+\s+R/g)) {
    const page = order.get(Number(entry[2]));
    // Names escape delimiters as #xx (PDF 1.2+).
    if (page !== undefined) result.set(entry[1]!.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), page);
  }
  return result;
}
