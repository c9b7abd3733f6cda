// Provenance analysis of a case's items, as one job: each stored original is read (never the
// source the examiner imported from, which may have changed since) and its report saved with a
// custody event and an audit entry. Not analysable items are analysed too: a file whose pixels
// cannot be decoded can still carry metadata, and often says most about where it came from.
import type { ItemProvenance, ProvenanceCounts } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { allEvidence, type EvidenceRow } from '../cases/case-database.ts';
import type { CaseHandle } from '../cases/library.ts';
import type { Db } from '../db/open-database.ts';
import { analyseProvenance } from './analyse.ts';
import { latestItemDecision, type ItemDecisionSummary } from '../attribution/attribution-store.ts';
import { compareWithAttribution, type AttributionSummary } from './contradictions.ts';
import { loadProvenance, saveProvenance } from './provenance-store.ts';

export interface ProvenanceProgress {
  total: number;
  done: number;
  current: string | null;
  counts: ProvenanceCounts;
  failures: Array<{ itemId: number; message: string }>;
}

export interface AnalyseItemsOptions {
  actor: string;
  signal?: AbortSignal;
  onProgress?: (progress: ProvenanceProgress) => void;
}

/** The items a request names, or every item without a stored report when it names none. */
export function itemsToAnalyse(db: Db, itemIds: readonly number[] | undefined): EvidenceRow[] {
  const items = allEvidence(db);
  if (itemIds === undefined) {
    const analysed = new Set((db.prepare('SELECT item_id FROM provenance').all() as Array<{ item_id: number }>).map((r) => r.item_id));
    return items.filter((item) => !analysed.has(item.id));
  }
  const byId = new Map(items.map((item) => [item.id, item]));
  const unknown = itemIds.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw new ApiError('not_found', `no evidence item ${unknown.join(', ')} in this case`);
  return [...new Set(itemIds)].sort((a, b) => a - b).map((id) => byId.get(id)!);
}

export async function analyseItems(
  handle: CaseHandle,
  items: readonly EvidenceRow[],
  options: AnalyseItemsOptions,
): Promise<ProvenanceProgress & { cancelled: boolean }> {
  const progress: ProvenanceProgress = { total: items.length, done: 0, current: null, counts: { analysed: 0, failed: 0 }, failures: [] };
  options.onProgress?.(progress);
  for (const item of items) {
    if (options.signal?.aborted) break;
    progress.current = item.original_name;
    try {
      const report = await analyseProvenance(handle.store.evidencePath(item.sha256), { format: item.format, extension: item.extension });
      saveProvenance(handle.db, item.id, report, options.actor);
      progress.counts.analysed++;
    } catch (error) {
      progress.counts.failed++;
      progress.failures.push({ itemId: item.id, message: (error as Error).message });
    }
    progress.done++;
    options.onProgress?.(progress);
  }
  progress.current = null;
  return { ...progress, cancelled: options.signal?.aborted ?? false };
}

/** An item's stored report, compared with the item's most recent pixel-level attribution. */
export function itemProvenance(db: Db, itemId: number): ItemProvenance | null {
  const stored = loadProvenance(db, itemId);
  if (!stored) return null;
  const latest = latestItemDecision(db, itemId);
  return { itemId, analysedUtc: stored.analysedUtc, report: stored.report, contradictions: compareWithAttribution(stored.report, latest && attributionSummary(latest)) };
}

function attributionSummary(decision: ItemDecisionSummary): AttributionSummary {
  if (decision.kind === 'attributed' && decision.model !== null) return { outcome: 'attributed', candidate: decision.model };
  return { outcome: decision.kind === 'no-known-model' ? 'no-known-model' : 'inconclusive' };
}
