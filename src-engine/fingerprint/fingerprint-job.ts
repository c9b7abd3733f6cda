// Fingerprints the evidence of a case with the installed extractor: each item once per model
// (a stored fingerprint is reused), from the stored copy after checking it against its intake
// hash. Every computed fingerprint is a custody event of its item; the run is one audit entry.
import type { FingerprintCounts } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { allEvidence, type EvidenceRow } from '../cases/case-database.ts';
import { withCaseLock } from '../cases/case-lock.ts';
import type { CaseHandle } from '../cases/library.ts';
import { utcNow } from '../base/time.ts';
import type { EmbedResult } from './extractor.ts';
import { saveRecordedFingerprint } from './fingerprint-check.ts';
import { fingerprintedItemIds } from './fingerprint-store.ts';
import type { FingerprintService } from './fingerprint-service.ts';

export interface FingerprintProgress {
  total: number;
  done: number;
  current: string | null;
  counts: FingerprintCounts;
  provider: string | null;
  failures: Array<{ itemId: number; message: string }>;
}

export interface FingerprintOptions {
  actor: string;
  /** Only these items (all items when omitted). */
  itemIds?: readonly number[];
  signal?: AbortSignal;
  onProgress?: (progress: FingerprintProgress) => void;
}

/** The rows for `itemIds` in id order; unknown ids are refused before any work starts. */
export function selectItems(handle: CaseHandle, itemIds?: readonly number[]): EvidenceRow[] {
  const rows = allEvidence(handle.db);
  if (!itemIds) return rows;
  const wanted = new Set(itemIds);
  const selected = rows.filter((row) => wanted.has(row.id));
  if (selected.length !== wanted.size) {
    const known = new Set(selected.map((row) => row.id));
    const unknown = [...wanted].filter((id) => !known.has(id));
    throw new ApiError('invalid_input', `no evidence item ${unknown.slice(0, 10).join(', ')} in this case`);
  }
  return selected;
}

export async function fingerprintEvidence(
  handle: CaseHandle,
  service: FingerprintService,
  options: FingerprintOptions,
): Promise<FingerprintProgress & { cancelled: boolean }> {
  return withCaseLock(handle.dir, async () => {
    const { db } = handle;
    const items = selectItems(handle, options.itemIds);
    const { model, worker, facts } = await service.ready();
    const stored = fingerprintedItemIds(db, model.sha256);
    const progress: FingerprintProgress = {
      total: items.length,
      done: 0,
      current: null,
      counts: { computed: 0, reused: 0, skipped: 0, failed: 0 },
      provider: facts.provider,
      failures: [],
    };
    const toCompute: EvidenceRow[] = [];
    for (const item of items) {
      if (item.status !== 'analysable') progress.counts.skipped++;
      else if (stored.has(item.id)) progress.counts.reused++;
      else toCompute.push(item);
    }
    progress.done = items.length - toCompute.length;
    options.onProgress?.(progress);

    const record = (result: EmbedResult): void => {
      const item = toCompute[result.index]!;
      progress.done++;
      progress.current = item.original_name;
      if (!result.ok) {
        progress.counts.failed++;
        progress.failures.push({ itemId: item.id, message: result.message });
      } else {
        const computedUtc = utcNow();
        db.transaction(() =>
          saveRecordedFingerprint(
            db,
            { itemId: item.id, modelSha256: model.sha256, modelName: model.name, embedding: result.embedding, crops: result.crops, provider: facts.provider, computedUtc },
            options.actor,
          ),
        )();
        progress.counts.computed++;
      }
      options.onProgress?.(progress);
    };
    const files = toCompute.map((item) => ({ path: handle.store.evidencePath(item.sha256), sha256: item.sha256 }));
    const { cancelled } = files.length > 0 ? await worker.embed(files, { signal: options.signal, onResult: record }) : { cancelled: false };

    progress.current = null;
    db.transaction(() =>
      appendAudit(db, options.actor, cancelled ? 'fingerprint.cancelled' : 'fingerprint.completed', {
        model: model.name,
        modelSha256: model.sha256,
        provider: facts.provider,
        total: progress.total,
        ...progress.counts,
        failures: progress.failures,
      }),
    )();
    return { ...progress, cancelled };
  });
}
