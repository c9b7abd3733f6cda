// The attribution side of a report, read from what the case stores: for each item the newest
// recorded run that attributed it (and how many older ones exist, so a choice among runs is never
// hidden), the newest set result per distinct set of the report's items, the 1:1 set comparisons
// of the audit log, and the C_T curve. Each calibration a result names is reported with its
// stored figures; its Tippett data (on the validation generators when it was validated) and the
// populations behind it come from the installed calibration set when that holds it.
import type { AttributionRecord, CalibrationInfo, CaseCurves } from '../api/contract.ts';
import { listAttributions } from '../attribution/attribution-store.ts';
import { verbalEquivalent } from '../calibration/verbal-scale.ts';
import { latestCurve } from '../ct-curve/case-curves.ts';
import type { Db } from '../db/open-database.ts';
import { idRanges, plural } from './format.ts';
import type {
  AttributionContext,
  AttributionFinding,
  CalibrationSetSummary,
  CurveFinding,
  ReportedCalibration,
  ReportedVerification,
  SetFindings,
  VerifiedScore,
} from './report-data.ts';

/** A source the report may lack (not installed, not computed): then it says why. */
export type Available<T> = T | { unavailable: string };

export function isAvailable<T extends object>(source: Available<T>): source is T {
  return !('unavailable' in source);
}

export interface AttributionSources {
  calibration: Available<CalibrationInfo>;
  curves: Available<CaseCurves>;
  /** The gallery as it is now, to tell which results were made against an older one; absent: not checked. */
  gallery?: Available<{ snapshotSha256: string }>;
}

export interface AttributionFindings {
  context: AttributionContext;
  items: Map<number, AttributionFinding>;
  set: SetFindings;
}

export function gatherAttribution(db: Db, itemIds: readonly number[], sources: AttributionSources): AttributionFindings {
  const included = new Set(itemIds);
  const records = listAttributions(db);
  const used = new Set<AttributionRecord>();

  const items = new Map<number, AttributionFinding>();
  for (const itemId of itemIds) {
    const runs = records.filter((r) => r.items.some((i) => i.itemId === itemId));
    const newest = runs[0];
    if (!newest) {
      const skipped = records.flatMap((r) => r.skipped).find((s) => s.itemId === itemId);
      items.set(itemId, { performed: false, reason: skipped ? `not attributed: ${skipped.reason}` : 'not performed: the case holds no attribution result for this item' });
      continue;
    }
    used.add(newest);
    items.set(itemId, { performed: true, runId: newest.id, result: newest.items.find((i) => i.itemId === itemId)!, earlierResults: runs.length - 1 });
  }

  // Records are newest first, so the first result for a set of items is its newest.
  const setRecords = records.filter((r) => r.set !== null && r.set.itemIds.every((id) => included.has(id)));
  const attributions: SetFindings['attributions'] = [];
  const seen = new Map<string, number>();
  for (const record of setRecords) {
    const key = [...record.set!.itemIds].sort((x, y) => x - y).join(',');
    const index = seen.get(key);
    if (index !== undefined) {
      attributions[index]!.earlierResults++;
      continue;
    }
    seen.set(key, attributions.length);
    used.add(record);
    attributions.push({ runId: record.id, result: record.set!, earlierResults: 0 });
  }

  const runs = records.filter((r) => used.has(r)).map(({ items: _items, set: _set, ...run }) => run);
  const current = sources.gallery && isAvailable(sources.gallery) ? sources.gallery.snapshotSha256 : null;
  const context: AttributionContext = {
    runs,
    calibrations: reportedCalibrations(runs, sources.calibration),
    calibrationSets: calibrationSets(runs, sources.calibration),
    currentGallerySha256: current,
    olderGalleryRuns: current === null ? [] : runs.filter((run) => run.gallery.sha256 !== current).map((run) => run.id),
  };
  return {
    context,
    items,
    set: {
      attributions,
      attributionNote: attributions.length > 0 ? null : setNote(records, included),
      verifications: storedVerifications(db, included),
      curve: curveFinding(db, included, sources.curves),
    },
  };
}

function reportedCalibrations(runs: readonly Omit<AttributionRecord, 'items' | 'set'>[], installed: Available<CalibrationInfo>): ReportedCalibration[] {
  const out = new Map<string, ReportedCalibration>();
  for (const run of runs) {
    for (const entry of run.calibration.entries) {
      if (out.has(entry.calibrationId)) continue;
      const match = isAvailable(installed) ? installed.entries.find((e) => e.calibration.id === entry.calibrationId) : undefined;
      const tippettNote = match
        ? null
        : isAvailable(installed)
          ? `Tippett data not available: the installed calibration set (${installed.id}) does not hold this calibration; its figures above are as recorded with the result.`
          : `Tippett data not available: ${installed.unavailable}.`;
      const tippett = match ? (match.validation?.tippett ?? match.tippett) : null;
      const tippettSource = match ? (match.validation ? 'validation' : 'held-out') : null;
      out.set(entry.calibrationId, { ...entry, calibrationSetId: run.calibration.id, tippett, tippettSource, tippettNote });
    }
  }
  return [...out.values()];
}

function calibrationSets(runs: readonly Omit<AttributionRecord, 'items' | 'set'>[], installed: Available<CalibrationInfo>): CalibrationSetSummary[] {
  if (!isAvailable(installed) || !runs.some((r) => r.calibration.id === installed.id)) return [];
  const { data } = installed;
  return [
    {
      id: installed.id,
      createdUtc: installed.createdUtc,
      fileSha256: installed.fileSha256,
      data: { description: data.description, folder: data.folder, generators: data.generators, images: data.images, manifestSha256: data.manifestSha256 },
      protocol: installed.protocol.text,
      notes: installed.notes,
      population: installed.population,
      validationPopulation: installed.validationPopulation,
    },
  ];
}

function setNote(records: readonly AttributionRecord[], included: ReadonlySet<number>): string {
  if (!records.some((r) => r.set !== null)) return 'not performed: the case holds no set attribution (run attribution in set mode)';
  const outside = records.filter((r) => r.set && !r.set.itemIds.every((id) => included.has(id))).length;
  return `not reported: the case's ${plural(outside, 'set result')} cover${outside === 1 ? 's' : ''} items outside this report`;
}

/** 'sets.verified' audit entries (verify-sets.ts records each comparison there) whose sets lie within the report. */
function storedVerifications(db: Db, included: ReadonlySet<number>): ReportedVerification[] {
  const rows = db.prepare("SELECT seq, at_utc, actor, details FROM audit_log WHERE action = 'sets.verified' ORDER BY seq").all() as Array<{
    seq: number;
    at_utc: string;
    actor: string;
    details: string;
  }>;
  return rows.flatMap((row) => {
    const d = JSON.parse(row.details) as StoredVerification;
    if (![...d.a, ...d.b].every((id) => included.has(id))) return [];
    return [
      {
        auditSeq: row.seq,
        atUtc: row.at_utc,
        actor: row.actor,
        a: d.a,
        b: d.b,
        sizeA: d.sizeA,
        sizeB: d.sizeB,
        mean: verifiedScore(d),
        deepsets: d.deepsets && verifiedScore(d.deepsets),
        deepsetsNote: d.deepsetsNote,
        wording: d.wording,
        notes: d.notes,
        calibrationSetId: d.calibrationSetId,
      },
    ];
  });
}

/** The audit entry's details as verify-sets.ts writes them. */
interface StoredScore {
  score: number;
  log10Lr: number;
  calibrationId: string;
  bagSize: number;
}
interface StoredVerification extends StoredScore {
  a: number[];
  b: number[];
  sizeA: number;
  sizeB: number;
  wording: string;
  deepsets: StoredScore | null;
  deepsetsNote: string | null;
  notes: string[];
  calibrationSetId: string;
}

function verifiedScore(s: StoredScore): VerifiedScore {
  return { score: s.score, log10Lr: s.log10Lr, strength: verbalEquivalent(s.log10Lr).strength, calibrationId: s.calibrationId, bagSize: s.bagSize };
}

/** getCurves gives the curve and its matches; the case's curves table says which items it is made of. */
function curveFinding(db: Db, included: ReadonlySet<number>, curves: Available<CaseCurves>): CurveFinding {
  if (!isAvailable(curves)) return { performed: false, reason: `not available: ${curves.unavailable}` };
  const stored = latestCurve(db, curves.encoder.sha256, curves.reference.sha256);
  if (curves.case === null || stored === null) return { performed: false, reason: 'not performed: the case holds no C_T curve (compute one with `modelprint curve`)' };
  const outside = stored.itemIds.filter((id) => !included.has(id));
  if (outside.length > 0) {
    return { performed: false, reason: `not reported: the case's latest C_T curve is made of ${plural(stored.itemIds.length, 'item')}, ${outside.length} of them outside this report (${idRanges(outside)})` };
  }
  return { performed: true, curveId: stored.id, itemIds: stored.itemIds, recordSha256: stored.recordSha256, curves: { ...curves, case: stored.record } };
}
