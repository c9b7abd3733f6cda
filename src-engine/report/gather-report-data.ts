// Reads a case into ReportData: exhibits with custody, the integrity re-verification's findings,
// each item's stored analyses, the methods and their model cards, the audit chain's state.
// Only what the case holds is reported; an analysis that was not run is said to be missing.
import os from 'node:os';
import type { ReportSection } from '../api/contract.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { allEvidence, getEvidenceDetail, listFindings, NO_HASH_SETS, readCaseSummary, type HashSetLookup } from '../cases/case-database.ts';
import type { HashSetSummary } from '../api/hash-sets.ts';
import { listNotes } from '../cases/case-notes.ts';
import { readStatement } from '../cases/examiner-statement.ts';
import type { Db } from '../db/open-database.ts';
import { itemProvenance } from '../provenance/analyse-items.ts';
import { APP_VERSION } from '../base/version.ts';
import type { ExhibitPicture } from './exhibit-picture.ts';
import { findingsDigest } from './findings-digest.ts';
import { calibrationLabel } from './format.ts';
import { gatherAttribution, type AttributionSources } from './gather-attribution.ts';
import { limitationsFor } from './limitations.ts';
import {
  REPORT_DATA_VERSION,
  type AttributionContext,
  type CurveFinding,
  type Exhibit,
  type ExtractorInfo,
  type FingerprintFinding,
  type IntegrityCheck,
  type ItemFindings,
  type Methods,
  type ModelCard,
  type ReportData,
  type Reproducibility,
  type SpectrumData,
} from './report-data.ts';

export interface ReportChoices {
  /** Resolved and sorted: the items the report covers. */
  itemIds: number[];
  sections: ReportSection[];
}

/** Who makes the report and when: given, so tests can fix them. */
export interface ReportIdentity {
  reportId: string;
  generatedUtc: string;
  actor: string;
}

/** What the report needs from outside the case database. */
export interface ReportSources extends AttributionSources {
  extractor: ExtractorInfo | null;
  modelCards: ModelCard[];
  /** The spectra of one item fingerprinted by the current extractor; null when there are none. */
  spectrum(itemId: number): Promise<SpectrumData | null>;
  /** When the exhibits were re-verified for this report and how many matched; null for a preview. */
  verification: { checkedUtc: string; total: number; verified: number } | null;
  /** A rendering of the stored copy with this hash; absent or null: the report shows none. */
  picture?(sha256: string): Promise<ExhibitPicture | null>;
  /** The library's hash sets and their lookup; absent: no hash set was consulted (and the report says so). */
  hashSets?: { sets: HashSetSummary[]; lookup: HashSetLookup };
}

/** `onItem` is told after each item's findings are gathered (spectra and pictures take time on large cases). */
export async function gatherReportData(db: Db, choices: ReportChoices, identity: ReportIdentity, sources: ReportSources, onItem?: (done: number, total: number) => void): Promise<ReportData> {
  const summary = readCaseSummary(db);
  const included = new Set(choices.itemIds);
  const integrity = integrityCheck(db, included, sources.verification);
  const exhibits = allEvidence(db)
    .filter((row) => included.has(row.id))
    .map((row) => exhibitOf(db, row.id, integrity, sources.hashSets?.lookup ?? NO_HASH_SETS));
  for (const exhibit of exhibits) {
    // Only a stored copy that still matches its intake hash is the exhibit; an image viewer's
    // rendering of anything else would show the reader something that was not received.
    if (exhibit.integrity === 'intact' && exhibit.status === 'analysable') exhibit.picture = (await sources.picture?.(exhibit.sha256)) ?? null;
  }
  let gathered = 0;
  const attribution = gatherAttribution(db, choices.itemIds, sources);
  const items: ItemFindings[] = [];
  for (const exhibit of exhibits) {
    const provenance = itemProvenance(db, exhibit.itemId);
    items.push({
      itemId: exhibit.itemId,
      provenance: provenance && { analysedUtc: provenance.analysedUtc, report: provenance.report, contradictions: provenance.contradictions },
      fingerprint: await fingerprintOf(db, exhibit, sources),
      attribution: attribution.items.get(exhibit.itemId)!,
    });
    onItem?.(++gathered, exhibits.length);
  }
  const provenanceTools = toolVersions(items);
  const methods: Methods = {
    extractor: sources.extractor,
    setEncoder: attribution.context.runs.find((run) => run.setEncoder !== null)?.setEncoder ?? null,
    layeredEncoder: attribution.set.curve.performed ? attribution.set.curve.curves.encoder : null,
    ctReference: attribution.set.curve.performed ? attribution.set.curve.curves.reference : null,
    modelCards: sources.modelCards,
    provenanceTools,
    hashSets: sources.hashSets?.sets ?? [],
  };
  const audit = verifyAuditChain(db);
  const head = db.prepare('SELECT audit_head_seq AS seq FROM case_info WHERE id = 1').get() as { seq: number };
  const withoutDigest: Omit<ReportData, 'findingsDigest'> = {
    reportVersion: REPORT_DATA_VERSION,
    reportId: identity.reportId,
    generatedUtc: identity.generatedUtc,
    generatedBy: identity.actor,
    software: { name: 'modelprint', version: APP_VERSION, node: process.versions.node, platform: `${os.platform()} ${os.arch()}` },
    case: {
      id: summary.id,
      number: summary.number,
      title: summary.title,
      examiner: summary.examiner,
      description: summary.description,
      createdUtc: summary.createdUtc,
    },
    caseNotes: listNotes(db).filter((n) => n.itemId === null),
    statement: readStatement(db),
    sections: choices.sections,
    integrity,
    exhibits,
    methods,
    items,
    attribution: attribution.context,
    set: attribution.set,
    limitations: limitationsFor(exhibits, items, methods, attribution.context, attribution.set),
    reproducibility: {
      softwareVersion: APP_VERSION,
      node: process.versions.node,
      databaseSchemaVersion: db.pragma('user_version', { simple: true }) as number,
      provenanceTools,
      extractor: sources.extractor && { name: sources.extractor.name, sha256: sources.extractor.sha256, provider: sources.extractor.provider },
      parameters: {
        'C2PA trust anchors': 'none configured: valid signatures are reported as "signer not trusted"',
        'C2PA remote manifests and OCSP': 'never fetched (offline)',
        'Metadata reader': 'ExifTool, all groups (-G1 -a), file-system tags excluded',
        'Integrity hash': 'SHA-256 of the stored original, compared with the hash taken at intake',
      },
      hashes: hashesOf(methods, attribution.context, attribution.set.curve),
      itemIds: choices.itemIds,
      sections: choices.sections,
    },
    audit: {
      entries: audit.entries,
      headSeq: head.seq,
      headHash: audit.headHash,
      chainOk: audit.ok,
      problems: audit.problems.map((p) => p.message),
    },
  };
  return { ...withoutDigest, findingsDigest: findingsDigest(withoutDigest) };
}

function integrityCheck(db: Db, included: ReadonlySet<number>, verification: ReportSources['verification']): IntegrityCheck {
  // Stored copies only: a record that no longer matches the chain is among the audit problems (audit.problems).
  const problems = listFindings(db)
    .filter((f): f is typeof f & { kind: 'hash_mismatch' | 'missing_file' } => f.resolvedUtc === null && f.itemId !== null && f.kind !== 'record_mismatch')
    .map((f) => ({
      itemId: f.itemId!,
      originalName: f.itemName ?? '',
      kind: f.kind,
      expectedSha256: String(f.details['expectedSha256'] ?? ''),
      actualSha256: typeof f.details['actualSha256'] === 'string' ? f.details['actualSha256'] : null,
      detectedUtc: f.detectedUtc,
      inReport: included.has(f.itemId!),
    }));
  return { checkedUtc: verification?.checkedUtc ?? null, total: verification?.total ?? allEvidence(db).length, verified: verification?.verified ?? null, problems };
}

function exhibitOf(db: Db, itemId: number, integrity: IntegrityCheck, hashSets: HashSetLookup): Exhibit {
  const d = getEvidenceDetail(db, itemId, null, hashSets)!;
  const problem = integrity.problems.find((p) => p.itemId === itemId);
  return {
    itemId,
    originalName: d.originalName,
    originalPath: d.originalPath,
    sha256: d.sha256,
    md5: d.md5,
    sizeBytes: d.sizeBytes,
    format: d.format,
    mime: d.mime,
    extension: d.extension,
    extensionMatches: d.extensionMatches,
    width: d.width,
    height: d.height,
    status: d.status,
    reasonCode: d.reasonCode,
    reason: d.reason,
    receivedUtc: d.receivedUtc,
    receivedBy: d.receivedBy,
    integrity: problem?.kind ?? 'intact',
    picture: null,
    notes: listNotes(db, itemId),
    tags: d.tags,
    bookmark: d.bookmark,
    hashSetMatches: d.hashSetMatches,
    custody: d.custody,
  };
}

async function fingerprintOf(db: Db, exhibit: Exhibit, sources: ReportSources): Promise<FingerprintFinding> {
  if (exhibit.status === 'not_analysable') return { state: 'not_fingerprinted', reason: 'not fingerprinted: the file could not be decoded as an image' };
  if (!sources.extractor) return { state: 'not_fingerprinted', reason: 'not fingerprinted: no fingerprint model installed' };
  const facts = getEvidenceDetail(db, exhibit.itemId, sources.extractor.sha256)?.fingerprint ?? null;
  if (!facts) return { state: 'not_fingerprinted', reason: `not fingerprinted with the installed extractor (${sources.extractor.name})` };
  return { state: 'fingerprinted', facts, spectrum: await sources.spectrum(exhibit.itemId) };
}

function toolVersions(items: readonly ItemFindings[]): Record<string, string> {
  const versions: Record<string, Set<string>> = {};
  for (const item of items) {
    for (const [tool, version] of Object.entries(item.provenance?.report.tools ?? {})) (versions[tool] ??= new Set()).add(version);
  }
  return Object.fromEntries(
    Object.keys(versions)
      .sort()
      .map((tool) => [tool, [...versions[tool]!].sort().join(', ')]),
  );
}

/** Every model, calibration, gallery and reference set a finding rests on, once each. */
function hashesOf(methods: Methods, context: AttributionContext, curve: CurveFinding): Reproducibility['hashes'] {
  const hashes: Reproducibility['hashes'] = [];
  const add = (what: string, name: string, sha256: string) => {
    if (!hashes.some((h) => h.what === what && h.sha256 === sha256)) hashes.push({ what, name, sha256 });
  };
  if (methods.extractor) add('Fingerprint extractor (ONNX)', methods.extractor.name, methods.extractor.sha256);
  for (const run of context.runs) {
    add('Fingerprint extractor (ONNX)', run.extractor.name, run.extractor.sha256);
    if (run.setEncoder) add('Set encoder (ONNX)', run.setEncoder.name, run.setEncoder.sha256);
    add('Calibration set (id)', `created ${run.calibration.createdUtc}`, run.calibration.id);
    add('Calibration file', 'SHA-256 of the file', run.calibration.fileSha256);
    add('Gallery snapshot', `${run.gallery.models} models`, run.gallery.sha256);
  }
  for (const calibration of context.calibrations) add('Calibration (id)', calibrationLabel(calibration), calibration.calibrationId);
  if (curve.performed) {
    add('Layered encoder (ONNX)', curve.curves.encoder.name, curve.curves.encoder.sha256);
    add('C_T reference set', `${curve.curves.reference.tCount} T + ${curve.curves.reference.pCount} P embeddings`, curve.curves.reference.sha256);
    add('C_T curve record', `curve ${curve.curveId} of ${curve.itemIds.length} items`, curve.recordSha256);
  }
  return hashes;
}
