// Makes one report: re-verify every exhibit, gather the case into ReportData, build and validate
// the JSON bundle, lay out and print the PDF (with the bundle's hash on its cover), then record
// both files in the case. Also the preview: the same HTML, without verifying or recording.
import { createHash, randomUUID } from 'node:crypto';
import { REPORT_SECTIONS, type ReportRecord, type ReportSection } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { allEvidence } from '../cases/case-database.ts';
import { listBookmarks } from '../cases/item-bookmarks.ts';
import type { CaseHandle } from '../cases/library.ts';
import type { Db } from '../db/open-database.ts';
import { verifyEvidence } from '../integrity/verify-evidence.ts';
import { utcNow } from '../base/time.ts';
import { assertValidBundle } from './bundle-validation.ts';
import { buildCaseUcoBundle, bundleText } from './case-uco-bundle.ts';
import { gatherReportData, type ReportChoices, type ReportSources } from './gather-report-data.ts';
import { exhibitPicture } from './exhibit-picture.ts';
import { paginate } from './paginate.ts';
import type { RenderPdf } from './pdf/render-pdf.ts';
import type { ReportData } from './report-data.ts';
import { bodyParts, contentsPart, coverDocumentPart, documentHtml, pageChrome } from './report-document.ts';
import { reportBaseName } from '../cases/report-paths.ts';
import { recordReport } from './report-store.ts';

export interface ReportRequest {
  /** The items chosen; when absent, the bookmarked ones if there are any (unless allItems), else all. */
  itemIds?: number[];
  allItems?: boolean;
  sections?: ReportSection[];
}

/** Sources other than the case and the verification this job runs itself. */
export type ReportInputs = Omit<ReportSources, 'verification'>;

export interface MakeReportOptions {
  actor: string;
  renderPdf: RenderPdf;
  inputs: ReportInputs;
  signal?: AbortSignal;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/**
 * Items in exhibit order and sections in the report's order, whatever order they were asked in.
 * Without a choice of items the bookmarks choose, as in Amped Authenticate: the examiner marks what
 * the report is about while examining.
 */
export function resolveChoices(db: Db, request: ReportRequest): ReportChoices {
  const known = allEvidence(db).map((row) => row.id);
  if (known.length === 0) throw new ApiError('invalid_input', 'the case holds no evidence to report on');
  const bookmarked = request.itemIds || request.allItems ? [] : listBookmarks(db).map((b) => b.itemId);
  const chosen = request.itemIds ?? (bookmarked.length > 0 ? bookmarked : undefined);
  const wanted = chosen ? new Set(chosen) : null;
  const unknown = request.itemIds?.filter((id) => !known.includes(id)) ?? [];
  if (unknown.length > 0) throw new ApiError('not_found', `no evidence item ${unknown.join(', ')} in this case`);
  const sections = request.sections ? new Set(request.sections) : null;
  return {
    itemIds: known.filter((id) => wanted === null || wanted.has(id)),
    sections: REPORT_SECTIONS.filter((s) => sections === null || sections.has(s)),
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A report that is cancelled or fails leaves no file in the case and says so in the audit log
 * (with the items and sections it was asked for); only a finished report records custody events.
 */
export async function makeReport(handle: CaseHandle, request: ReportRequest, options: MakeReportOptions): Promise<ReportRecord | null> {
  const choices = resolveChoices(handle.db, request);
  const attempt = { items: choices.itemIds, sections: choices.sections };
  try {
    const record = await printReport(handle, choices, options);
    if (record === null) appendAuditNow(handle.db, options.actor, 'report.cancelled', attempt);
    return record;
  } catch (error) {
    if (options.signal?.aborted) {
      appendAuditNow(handle.db, options.actor, 'report.cancelled', attempt);
      return null;
    }
    appendAuditNow(handle.db, options.actor, 'report.failed', { ...attempt, reason: (error as Error).message });
    throw error;
  }
}

function appendAuditNow(db: Db, actor: string, action: string, details: Record<string, unknown>): void {
  db.transaction(() => appendAudit(db, actor, action, details))();
}

async function printReport(handle: CaseHandle, choices: ReportChoices, options: MakeReportOptions): Promise<ReportRecord | null> {
  // Only the items reported are re-verified: a report on 3 items records nothing on the other 500.
  options.onProgress?.('re-verifying exhibit hashes', 0, choices.itemIds.length);
  const verification = await verifyEvidence(handle, {
    actor: options.actor,
    itemIds: choices.itemIds,
    signal: options.signal,
    onProgress: (p) => options.onProgress?.('re-verifying exhibit hashes', p.done, p.total),
  });
  if (verification.cancelled) return null;

  options.onProgress?.('gathering the findings of each item', 0, choices.itemIds.length);
  const identity = { reportId: randomUUID(), generatedUtc: utcNow(), actor: options.actor };
  const data = await gatherReportData(handle.db, choices, identity, {
    ...options.inputs,
    picture: (sha256) => exhibitPicture(handle.store, sha256),
    verification: { checkedUtc: identity.generatedUtc, total: verification.total, verified: verification.counts.verified },
  }, (done, total) => options.onProgress?.('gathering the findings of each item', done, total));

  const bundle = buildCaseUcoBundle(data);
  assertValidBundle(bundle);
  const json = new TextEncoder().encode(bundleText(bundle));
  const jsonSha256 = sha256(json);

  const layout = await reportLayout(data, jsonSha256, null);
  const printed = await paginate(layout, options.renderPdf, (done, total) => options.onProgress?.(done === 0 ? 'printing the report to find where each part starts' : 'printing the report with its page numbers', done, total), options.signal);
  // Cancelling stops before anything is written: no partial report enters the case.
  if (options.signal?.aborted) return null;

  const base = reportBaseName(data.generatedUtc, data.reportId);
  const record: ReportRecord = {
    id: data.reportId,
    createdUtc: data.generatedUtc,
    actor: options.actor,
    pdf: { path: `${base}.pdf`, sha256: sha256(printed.pdf), sizeBytes: printed.pdf.byteLength },
    json: { path: `${base}.json`, sha256: jsonSha256, sizeBytes: json.byteLength },
    pages: printed.pages,
    options: { itemIds: choices.itemIds, sections: choices.sections },
    findingsDigest: data.findingsDigest,
    auditHead: { seq: data.audit.headSeq, hash: data.audit.headHash },
    integrityProblems: data.integrity.problems.map((p) => p.itemId),
  };
  return recordReport(handle, record, { pdf: printed.pdf, json }, {
    consulted: data.methods.hashSets.map((s) => ({ name: s.name, sha256: s.sourceSha256 })),
    matchedItems: data.exhibits.filter((e) => e.hashSetMatches.length > 0).map((e) => e.itemId),
  });
}

/** The report's HTML for the report screen: nothing is verified, written or recorded. */
export async function previewReport(handle: CaseHandle, request: ReportRequest, inputs: ReportInputs): Promise<string> {
  const identity = { reportId: 'preview', generatedUtc: utcNow(), actor: 'preview' };
  const data = await gatherReportData(handle.db, resolveChoices(handle.db, request), identity, { ...inputs, verification: null, picture: (sha256) => exhibitPicture(handle.store, sha256) });
  const layout = await reportLayout(data, 'computed when the report is generated', '–');
  return layout.toHtml([...layout.before, layout.contents(null), ...layout.after]);
}

async function reportLayout(data: ReportData, bundleSha256: string, pagePlaceholder: string | null) {
  const after = await bodyParts(data, bundleSha256);
  return {
    before: [coverDocumentPart(data, bundleSha256)],
    after,
    contents: (firstPageOf: ReadonlyMap<string, number> | null) => contentsPart(after, firstPageOf, pagePlaceholder ?? undefined),
    toHtml: (parts: Parameters<typeof documentHtml>[1]) => documentHtml(data, parts),
    chrome: pageChrome(data),
  };
}
