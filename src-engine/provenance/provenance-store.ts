// Keeps each item's provenance report in the case database. Saving records a custody event and an
// audit entry in the same transaction, each with the report's SHA-256, so the case shows every
// analysis even after a later one replaces the stored report.
import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import { addCustodyEvent } from '../cases/case-database.ts';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';
import type { ProvenanceReport } from '../api/provenance.ts';

export interface StoredProvenance {
  itemId: number;
  analysedUtc: string;
  toolVersions: Record<string, string>;
  report: ProvenanceReport;
}

export function saveProvenance(db: Db, itemId: number, report: ProvenanceReport, actor: string): StoredProvenance {
  const analysedUtc = utcNow();
  const json = JSON.stringify(report);
  const details = {
    itemId,
    reportSha256: createHash('sha256').update(json, 'utf8').digest('hex'),
    tools: report.tools,
    c2pa: report.c2pa.state,
    claimedModel: report.claimedGenerator?.model ?? null,
    anomalies: report.anomalies.map((a) => a.code),
  };
  db.transaction(() => {
    db.prepare(
      `INSERT INTO provenance (item_id, analysed_utc, tool_versions, report) VALUES (?, ?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET analysed_utc = excluded.analysed_utc,
         tool_versions = excluded.tool_versions, report = excluded.report`,
    ).run(itemId, analysedUtc, JSON.stringify(report.tools), json);
    addCustodyEvent(db, itemId, analysedUtc, actor, 'provenance_analysed', details);
    appendAudit(db, actor, 'evidence.provenance_analysed', details);
  })();
  return { itemId, analysedUtc, toolVersions: report.tools, report };
}

export function loadProvenance(db: Db, itemId: number): StoredProvenance | null {
  const row = db.prepare('SELECT * FROM provenance WHERE item_id = ?').get(itemId) as
    | { item_id: number; analysed_utc: string; tool_versions: string; report: string }
    | undefined;
  if (!row) return null;
  return {
    itemId: row.item_id,
    analysedUtc: row.analysed_utc,
    toolVersions: JSON.parse(row.tool_versions) as Record<string, string>,
    report: JSON.parse(row.report) as ProvenanceReport,
  };
}
