// The case's evidence list as an exchangeable document (JSON or CSV): exhibits, hashes, formats,
// analysability and custody, e.g. for another lab's hash set or the case file.
import { createHash } from 'node:crypto';
import type { CaseSummary, EvidenceDetail } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { allEvidence, getEvidenceDetail, readCaseSummary } from '../cases/case-database.ts';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';
import { APP_VERSION } from '../base/version.ts';
import { csvCell } from './csv-cell.ts';

export type ExportFormat = 'json' | 'csv';

export interface EvidenceListExport {
  exportedUtc: string;
  software: { name: 'modelprint'; version: string };
  case: CaseSummary;
  items: EvidenceDetail[];
}

export function buildEvidenceList(db: Db): EvidenceListExport {
  return {
    exportedUtc: utcNow(),
    software: { name: 'modelprint', version: APP_VERSION },
    case: readCaseSummary(db),
    items: allEvidence(db).map((row) => getEvidenceDetail(db, row.id)!),
  };
}

export const CSV_COLUMNS: ReadonlyArray<[string, (item: EvidenceDetail) => unknown]> = [
  ['item_id', (i) => i.id],
  ['sha256', (i) => i.sha256],
  ['md5', (i) => i.md5],
  ['size_bytes', (i) => i.sizeBytes],
  ['original_name', (i) => i.originalName],
  ['original_path', (i) => i.originalPath],
  ['received_utc', (i) => i.receivedUtc],
  ['received_by', (i) => i.receivedBy],
  ['format', (i) => i.format],
  ['extension', (i) => i.extension],
  ['extension_matches', (i) => i.extensionMatches],
  ['width', (i) => i.width],
  ['height', (i) => i.height],
  ['bit_depth', (i) => i.bitDepth],
  ['color_space', (i) => i.colorSpace],
  ['status', (i) => i.status],
  ['reason_code', (i) => i.reasonCode],
  ['reason', (i) => i.reason],
  ['open_findings', (i) => i.openFindings],
  ['custody_events', (i) => i.custody.length],
  // A tag may hold any visible character (a comma, a semicolon): a JSON array keeps them apart.
  ['tags', (i) => (i.tags.length > 0 ? JSON.stringify(i.tags) : '')],
  ['bookmarked', (i) => i.bookmark !== null],
  ['bookmark_comment', (i) => i.bookmark?.comment ?? ''],
];


export function renderEvidenceList(list: EvidenceListExport, format: ExportFormat): string {
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const item of list.items) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(item))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Records the export in the audit log with the document's hash, so the copy handed out can be checked. */
export function recordExport(db: Db, actor: string, format: ExportFormat, document: string, destination: string): string {
  const sha256 = createHash('sha256').update(document, 'utf8').digest('hex');
  db.transaction(() => appendAudit(db, actor, 'case.exported', { what: 'evidence list', format, sha256, destination }))();
  return sha256;
}
