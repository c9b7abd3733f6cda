// An attribution run on a case: fingerprints the selected items that have no fingerprint from the
// installed extractor yet (the fingerprint job, with its own custody and audit), then, under the
// case's write lock, attributes them and records the result (attribution-store.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AttributionRecord, UsedCalibration } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import type { BagEncoder } from '../calibration/calibrate-folder.ts';
import type { CalibrationEntry, UsableCalibration } from '../calibration/calibration-set.ts';
import { withCaseLock } from '../cases/case-lock.ts';
import type { CaseHandle } from '../cases/library.ts';
import type { Db } from '../db/open-database.ts';
import { fingerprintEvidence, selectItems } from '../fingerprint/fingerprint-job.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { fingerprintChecker } from '../fingerprint/fingerprint-check.ts';
import type { RecordProblem } from '../audit/case-records.ts';
import { galleryFingerprintProblems } from '../gallery/gallery-records.ts';
import { refuseTampered } from './tamper-refusal.ts';
import { loadFingerprint } from '../fingerprint/fingerprint-store.ts';
import { utcNow } from '../base/time.ts';
import { loadAttributionGallery } from '../gallery/attribution-gallery.ts';
import { attributeEvidence, evidenceCondition, type FingerprintedItem } from './attribute-evidence.ts';
import { observeCondition } from '../conditions/observed.ts';
import { recordAttribution } from './attribution-store.ts';

export interface AttributionProgress {
  phase: 'fingerprint' | 'attribute';
  total: number;
  done: number;
  current: string | null;
  failures: Array<{ itemId: number; message: string }>;
}

export interface AttributionRun {
  actor: string;
  mode: 'items' | 'set';
  itemIds?: readonly number[];
  top: number;
  service: FingerprintService;
  /** Checked before the run starts (the handler refuses a missing or mismatched calibration). */
  calibration: UsableCalibration;
  /** Opens the library's gallery for `work` (read under the case lock, after fingerprinting). */
  withGallery: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
  setEncoder: BagEncoder | null;
  signal?: AbortSignal;
  onProgress?: (progress: AttributionProgress) => void;
}

const PROPOSITIONS = {
  same: 'the evidence was made by the candidate model',
  different: 'the evidence was made by another model of the relevant population (the calibration population below)',
} as const;

export async function runAttribution(handle: CaseHandle, run: AttributionRun): Promise<{ cancelled: boolean; record: AttributionRecord | null }> {
  const items = selectItems(handle, run.itemIds);
  const analysable = items.filter((item) => item.status === 'analysable');
  const progress: AttributionProgress = { phase: 'fingerprint', total: analysable.length, done: 0, current: null, failures: [] };
  run.onProgress?.(progress);
  const fingerprinted =
    analysable.length === 0
      ? { cancelled: false, failures: [] }
      : await fingerprintEvidence(handle, run.service, {
          actor: run.actor,
          itemIds: analysable.map((item) => item.id),
          signal: run.signal,
          onProgress: (p) => run.onProgress?.({ ...progress, done: p.done, current: p.current, failures: [...p.failures] }),
        });
  if (fingerprinted.cancelled) return { cancelled: true, record: null };

  return withCaseLock(handle.dir, async () => {
    run.onProgress?.({ ...progress, phase: 'attribute', done: 0, current: null, failures: fingerprinted.failures });
    const extractor = run.service.model();
    const skipped: AttributionRecord['skipped'] = items.filter((item) => item.status !== 'analysable').map((item) => ({ itemId: item.id, originalName: item.original_name, reason: item.reason ?? 'not analysable' }));
    const ready: FingerprintedItem[] = [];
    // Every fingerprint scored with is checked against its record first: the evidence's here, the gallery's below.
    const check = fingerprintChecker(handle.db);
    const tampered: RecordProblem[] = [];
    for (const item of analysable) {
      const stored = loadFingerprint(handle.db, item.id, extractor.sha256);
      const problem = stored && check(stored);
      if (problem) tampered.push(problem);
      else if (stored) {
        const observed = await observeCondition(await fs.promises.readFile(handle.store.evidencePath(item.sha256)));
        ready.push({ itemId: item.id, originalName: item.original_name, sha256: item.sha256, embedding: stored.embedding, condition: evidenceCondition(observed) });
      }
      else skipped.push({ itemId: item.id, originalName: item.original_name, reason: fingerprinted.failures.find((f) => f.itemId === item.id)?.message ?? 'no fingerprint' });
    }
    const { gallery, outcome } = await run.withGallery(async (db) => {
      refuseTampered(handle, run.actor, [...tampered, ...galleryFingerprintProblems(db, extractor.sha256)], 'attribution');
      if (ready.length === 0) throw new ApiError('invalid_input', 'none of the selected items could be fingerprinted: nothing to attribute');
      const gallery = loadAttributionGallery(db, extractor.sha256);
      return { gallery, outcome: await attributeEvidence({ items: ready, mode: run.mode, top: run.top, gallery, calibration: run.calibration, setEncoder: run.setEncoder }) };
    });
    const record: AttributionRecord = {
      id: randomUUID(),
      createdUtc: utcNow(),
      actor: run.actor,
      mode: run.mode,
      itemIds: items.map((item) => item.id),
      extractor: { name: extractor.name, sha256: extractor.sha256 },
      setEncoder: outcome.set?.deepsets && run.setEncoder ? { name: run.setEncoder.info.name, sha256: run.setEncoder.info.sha256 } : null,
      propositions: { ...PROPOSITIONS, population: run.calibration.set.population.description },
      calibration: { id: run.calibration.set.id, fileSha256: run.calibration.fileSha256, createdUtc: run.calibration.set.createdUtc, entries: outcome.used.map(usedCalibration) },
      gallery: { models: gallery.models.length, sha256: gallery.sha256, weakReferences: gallery.models.filter((m) => m.weakReference).map((m) => m.name), excluded: gallery.excluded },
      items: outcome.items,
      set: outcome.set,
      skipped,
    };
    recordAttribution(handle.db, record);
    run.onProgress?.({ ...progress, phase: 'attribute', done: progress.total, current: null, failures: fingerprinted.failures });
    return { cancelled: false, record };
  });
}

function usedCalibration(entry: CalibrationEntry): UsedCalibration {
  const { calibration } = entry;
  return {
    calibrationId: calibration.id,
    pooling: entry.pooling,
    bagSize: entry.bagSize,
    description: calibration.training.description,
    sameCount: calibration.training.sameCount,
    differentCount: calibration.training.differentCount,
    references: entry.references,
    compression: entry.compression,
    heldOut: entry.heldOut,
    validation: entry.validation && withoutTippett(entry.validation),
  };
}

function withoutTippett<T extends { tippett: unknown }>(figures: T): Omit<T, 'tippett'> {
  const { tippett: _tippett, ...rest } = figures;
  return rest;
}
