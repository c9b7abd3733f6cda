// Attribution results in the case database: one append-only row per run (migration 5), an
// 'attributed' custody event on every item it covers and one audit entry carrying the result's
// sha256, all in one transaction.
import { createHash } from 'node:crypto';
import type { AttributionRecord } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { addCustodyEvent } from '../cases/case-database.ts';
import type { Db } from '../db/open-database.ts';
import { canonicalJson } from '../base/canonical-json.ts';

export function resultSha256(record: AttributionRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export function recordAttribution(db: Db, record: AttributionRecord): void {
  const sha256 = resultSha256(record);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO attributions (id, created_utc, actor, mode, item_ids, extractor_sha256, set_encoder_sha256, calibration_id, gallery_sha256, result, result_sha256)
       VALUES (@id, @createdUtc, @actor, @mode, @itemIds, @extractor, @setEncoder, @calibration, @gallery, @result, @sha256)`,
    ).run({
      id: record.id,
      createdUtc: record.createdUtc,
      actor: record.actor,
      mode: record.mode,
      itemIds: JSON.stringify(record.itemIds),
      extractor: record.extractor.sha256,
      setEncoder: record.setEncoder?.sha256 ?? null,
      calibration: record.calibration.id,
      gallery: record.gallery.sha256,
      result: JSON.stringify(record),
      sha256,
    });
    const setDecision = record.set?.mean.decision;
    for (const item of record.items) {
      addCustodyEvent(db, item.itemId, record.createdUtc, record.actor, 'attributed', {
        attributionId: record.id,
        resultSha256: sha256,
        calibrationId: item.calibrationId,
        decision: item.decision.kind,
        model: item.decision.model,
        log10Lr: item.decision.log10Lr,
        ...(setDecision ? { setDecision: setDecision.kind, setModel: setDecision.model } : {}),
      });
    }
    appendAudit(db, record.actor, 'attribution.completed', {
      attributionId: record.id,
      resultSha256: sha256,
      mode: record.mode,
      itemIds: record.itemIds,
      extractorSha256: record.extractor.sha256,
      setEncoderSha256: record.setEncoder?.sha256 ?? null,
      calibrationId: record.calibration.id,
      calibrationFileSha256: record.calibration.fileSha256,
      gallerySha256: record.gallery.sha256,
      decisions: tally(record),
      skipped: record.skipped.length,
    });
  })();
}

/** How many items got each decision (and the set's, when there is one). */
function tally(record: AttributionRecord): Record<string, number | string> {
  const counts: Record<string, number | string> = {};
  for (const item of record.items) counts[item.decision.kind] = ((counts[item.decision.kind] as number | undefined) ?? 0) + 1;
  if (record.set) counts.set = record.set.mean.decision.kind;
  return counts;
}

/** Every recorded result, newest first. */
export function listAttributions(db: Db): AttributionRecord[] {
  const rows = db.prepare('SELECT result FROM attributions ORDER BY created_utc DESC, rowid DESC').all() as Array<{ result: string }>;
  return rows.map((row) => JSON.parse(row.result) as AttributionRecord);
}

export interface ItemDecisionSummary {
  kind: 'attributed' | 'inconclusive' | 'no-known-model';
  model: string | null;
  attributionId: string;
}

/**
 * The item's most recent attribution decision, read from its newest 'attributed' custody event
 * (indexed by item), so callers that ask per item never parse whole results.
 */
export function latestItemDecision(db: Db, itemId: number): ItemDecisionSummary | null {
  const row = db.prepare("SELECT details FROM custody_events WHERE item_id = ? AND action = 'attributed' ORDER BY id DESC LIMIT 1").get(itemId) as { details: string } | undefined;
  if (!row) return null;
  const details = JSON.parse(row.details) as { decision: ItemDecisionSummary['kind']; model: string | null; attributionId: string };
  return { kind: details.decision, model: details.model, attributionId: details.attributionId };
}
