// Assembles the report's HTML from ReportData: the parts in order (each starts on a new page, so
// the contents can give each one's first page, see paginate.ts), the contents themselves, and the
// running header and footer the PDF renderer prints in the page margins.
import type { ReportSection } from '../api/contract.ts';
import { html, joinHtml, trustedHtml, type SafeHtml } from './html.ts';
import { dimensions, utc } from './format.ts';
import type { PageChrome } from './pdf/render-pdf.ts';
import { REPORT_CSS } from './report-styles.ts';
import type { Exhibit, ItemFindings, ReportData } from './report-data.ts';
import { itemAttributionFindings } from './sections/attribution.ts';
import { auditPart, limitationsPart, reproducibilityPart } from './sections/closing.ts';
import { coverPart } from './sections/cover.ts';
import { exhibitFigure, exhibitsPart } from './sections/exhibits.ts';
import { methodsPart } from './sections/methods.ts';
import { markingsLine } from './sections/markings.ts';
import { notesList } from './sections/notes.ts';
import { provenanceFindings } from './sections/provenance.ts';
import { setFindingsPart } from './sections/set-findings.ts';
import { spectraFindings } from './sections/spectra.ts';
import { STATEMENT_HEADINGS, statementPart } from './sections/statement.ts';

export interface TocEntry {
  number: string;
  title: string;
  level: 1 | 2;
}

/** A run of the report that starts on a new page; its contents entries all point at that page. */
export interface DocumentPart {
  id: string;
  toc: TocEntry[];
  body: SafeHtml;
}

const ITEM_SECTIONS: ReadonlyArray<[ReportSection, string]> = [
  ['provenance', 'Provenance'],
  ['spectra', 'Spectral fingerprint'],
  ['attribution', 'Attribution'],
];

/** The parts after the cover and contents, numbered in the order the examiner's choices leave. */
export async function bodyParts(data: ReportData, bundleSha256: string): Promise<DocumentPart[]> {
  const chosen = new Set(data.sections);
  const parts: DocumentPart[] = [];
  let chapter = 0;
  const simple = (id: string, section: ReportSection, title: string, body: () => SafeHtml) => {
    if (!chosen.has(section)) return;
    chapter++;
    parts.push({ id, toc: [{ number: `${chapter}`, title, level: 1 }], body: html`<h2>${chapter} ${title}</h2>${body()}` });
  };

  // Each exhibit is pictured once: in its own findings when the report has them, else in the exhibits chapter.
  const itemSections = ITEM_SECTIONS.filter(([section]) => chosen.has(section));
  simple('exhibits', 'exhibits', 'Exhibits and chain of custody', () => exhibitsPart(data, itemSections.length === 0));
  simple('methods', 'methods', 'Methods and model cards', () => methodsPart(data));

  if (itemSections.length > 0) {
    chapter++;
    const exhibits = new Map(data.exhibits.map((e) => [e.itemId, e]));
    for (const [index, item] of data.items.entries()) {
      const exhibit = exhibits.get(item.itemId)!;
      const number = `${chapter}.${index + 1}`;
      const title = `Item ${item.itemId} — ${exhibit.originalName}`;
      const chapterHead = index === 0 ? html`<h2>${chapter} Findings per item</h2>` : '';
      parts.push({
        id: `item-${item.itemId}`,
        toc: [...(index === 0 ? [{ number: `${chapter}`, title: 'Findings per item', level: 1 as const }] : []), { number, title, level: 2 }],
        body: html`${chapterHead}<h2>${number} ${title}</h2>${itemFacts(exhibit)}${await itemBody(data, item, itemSections)}`,
      });
    }
  }

  simple('set-findings', 'set-findings', 'Findings per set of items', () => setFindingsPart(data));
  // Always there, like the cover: a report says what its examiner concludes, or that they conclude nothing.
  chapter++;
  const statementNumber = `${chapter}`;
  parts.push({
    id: 'statement',
    toc: [{ number: statementNumber, title: 'Conclusions, declaration and peer review', level: 1 }, ...STATEMENT_HEADINGS.map((title, i) => ({ number: `${statementNumber}.${i + 1}`, title, level: 2 as const }))],
    body: html`<h2>${statementNumber} Conclusions, declaration and peer review</h2>${statementPart(data.statement, statementNumber)}`,
  });
  simple('limitations', 'limitations', 'Limitations and known failure modes', () => limitationsPart(data));
  simple('reproducibility', 'reproducibility', 'Reproducibility', () => reproducibilityPart(data, bundleSha256));
  simple('audit', 'audit', 'Audit log', () => auditPart(data));
  return parts;
}

function itemFacts(e: Exhibit): SafeHtml {
  const integrity =
    e.integrity === 'intact'
      ? html`<span class="badge ok">matches intake hash</span>`
      : html`<span class="badge critical">${e.integrity === 'hash_mismatch' ? 'HASH MISMATCH' : 'STORED COPY MISSING'}</span>`;
  return html`<p>${e.format ? `${e.format.toUpperCase()}, ${dimensions(e.width, e.height)}` : `not analysable (${e.reasonCode ?? 'unknown'})`} · ${integrity}<br><span class="mono">SHA-256 ${e.sha256}</span></p>${markingsLine(e)}${exhibitFigure(e)}${e.notes.length > 0 ? html`<h3>Examiner's notes</h3>${notesList(e.notes)}` : ''}`;
}

async function itemBody(data: ReportData, item: ItemFindings, sections: ReadonlyArray<[ReportSection, string]>): Promise<SafeHtml> {
  const blocks: SafeHtml[] = [];
  for (const [section, title] of sections) {
    const body =
      section === 'provenance'
        ? provenanceFindings(item)
        : section === 'spectra'
          ? await spectraFindings(item.fingerprint)
          : itemAttributionFindings(data, item);
    blocks.push(html`<h3>${title}</h3>${body}`);
  }
  return joinHtml(blocks);
}

export function coverDocumentPart(data: ReportData, bundleSha256: string): DocumentPart {
  return { id: 'cover', toc: [], body: coverPart(data, bundleSha256) };
}

/**
 * The contents. Without page numbers a placeholder stands in: in the first layout pass one as wide
 * as the real numbers, in the on-screen preview (which has no pages) a dash.
 */
export function contentsPart(parts: readonly DocumentPart[], firstPageOf: ReadonlyMap<string, number> | null, placeholder = '000'): DocumentPart {
  const entries = parts.flatMap((part) => part.toc.map((entry) => ({ entry, id: part.id, page: firstPageOf?.get(part.id) ?? placeholder })));
  return {
    id: 'contents',
    toc: [],
    body: html`<div class="toc"><h2>Contents</h2><ol>${entries.map(
      // Each entry links to its part: a reader can click through, and the printed PDF's link
      // targets tell paginate.ts where each part landed.
      ({ entry, id, page }) =>
        html`<li class="${entry.level === 2 ? 'sub' : ''}"><a class="title" href="#${id}">${entry.number} ${entry.title}</a><span class="leader"></span><span class="page">${page}</span></li>`,
    )}</ol></div>`,
  };
}

/**
 * A complete HTML page. Its CSP allows no fetches and no scripts: the report is static, its images
 * are data: URIs, and nothing in evidence text could make the renderer reach out.
 */
export function documentHtml(data: ReportData, parts: readonly DocumentPart[]): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Case ${data.case.number} — evidence report</title>
<style>${trustedHtml(REPORT_CSS)}</style></head>
<body>${parts.map((part) => html`<section class="part" id="${part.id}">${part.body}</section>`)}</body></html>`.text;
}

/** Running header and footer; the renderer fills pageNumber and totalPages. */
export function pageChrome(data: ReportData): PageChrome {
  const style = "font-family:'DejaVu Sans',Arial,sans-serif;font-size:7.5pt;color:#5b6675;width:100%;margin:0 16mm;display:flex;justify-content:space-between;gap:8mm;";
  const clipped = 'white-space:nowrap;overflow:hidden;text-overflow:ellipsis;';
  return {
    headerHtml: html`<div style="${style}"><span style="${clipped}">Case ${data.case.number} · ${data.case.title}</span><span style="white-space:nowrap">Modelprint evidence report</span></div>`.text,
    footerHtml: html`<div style="${style}"><span style="${clipped}">Report ${data.reportId} · ${utc(data.generatedUtc)}</span><span style="white-space:nowrap">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`.text,
  };
}
