// Everything a report says, gathered from the case in one typed, JSON-serialisable value. The PDF
// and the JSON bundle are both rendered from it and from nothing else, so they cannot disagree.
import type {
  AttributionRecord,
  Bookmark,
  ExaminerStatement,
  CalibrationInfo,
  CaseCurves,
  CustodyEvent,
  FingerprintFacts,
  ItemAttribution,
  NotAnalysableReason,
  Note,
  ReportSection,
  SetAttribution,
  TippettCurve,
  UsedCalibration,
} from '../api/contract.ts';
import type { HashSetMatch, HashSetSummary } from '../api/hash-sets.ts';
import type { Contradiction, ProvenanceReport } from '../api/provenance.ts';
import type { ExhibitPicture } from './exhibit-picture.ts';

export const REPORT_DATA_VERSION = 4;

export interface ReportData {
  reportVersion: typeof REPORT_DATA_VERSION;
  reportId: string;
  generatedUtc: string;
  generatedBy: string;
  software: { name: 'modelprint'; version: string; node: string; platform: string };
  case: { id: string; number: string; title: string; examiner: string; description: string; createdUtc: string };
  /** The examiner's notes on the case (not on an item), oldest first. */
  caseNotes: Note[];
  /** The examiner's conclusions, declaration, signature block and peer review, as stored when the report was made. */
  statement: ExaminerStatement;
  sections: ReportSection[];
  integrity: IntegrityCheck;
  exhibits: Exhibit[];
  methods: Methods;
  items: ItemFindings[];
  /** The stored attribution runs the item and set findings come from, and the calibrations they used. */
  attribution: AttributionContext;
  set: SetFindings;
  limitations: Limitation[];
  reproducibility: Reproducibility;
  audit: AuditState;
  /** SHA-256 over the findings alone (see findings-digest.ts): the same inputs give the same digest. */
  findingsDigest: string;
}

/** The re-verification of every exhibit's hash made just before the report. */
export interface IntegrityCheck {
  /** Null in a preview: hashes are re-verified only when a report is generated. */
  checkedUtc: string | null;
  total: number;
  verified: number | null;
  problems: IntegrityProblem[];
}

export interface IntegrityProblem {
  itemId: number;
  originalName: string;
  kind: 'hash_mismatch' | 'missing_file';
  expectedSha256: string;
  actualSha256: string | null;
  detectedUtc: string;
  /** Whether the item is among those the report covers (a problem elsewhere in the case is still shown). */
  inReport: boolean;
}

export interface Exhibit {
  itemId: number;
  originalName: string;
  originalPath: string;
  sha256: string;
  md5: string;
  sizeBytes: number;
  format: string | null;
  mime: string | null;
  extension: string;
  extensionMatches: boolean;
  width: number | null;
  height: number | null;
  status: 'analysable' | 'not_analysable';
  reasonCode: NotAnalysableReason | null;
  reason: string | null;
  receivedUtc: string;
  receivedBy: string;
  integrity: 'intact' | 'hash_mismatch' | 'missing_file';
  /** A rendering of the stored copy for the reader (not part of the findings or the bundle); null when none could be made. */
  picture: ExhibitPicture | null;
  /** The examiner's notes on this item, oldest first (records of the examination, not findings). */
  notes: Note[];
  /** The examiner's tags and bookmark on this item (markings of the examination, not findings). */
  tags: string[];
  bookmark: Bookmark | null;
  /** The library's hash sets that listed the item when the report was made. */
  hashSetMatches: HashSetMatch[];
  custody: CustodyEvent[];
}

export interface ModelCard {
  /** File name under resources/models. */
  file: string;
  sha256: string;
  markdown: string;
}

export interface ExtractorInfo {
  name: string;
  sha256: string;
  embeddingDim: number;
  provider: string;
}

export interface Methods {
  extractor: ExtractorInfo | null;
  /** The DeepSets encoder a reported set result used (from the stored runs), null when none did. */
  setEncoder: { name: string; sha256: string } | null;
  /** The layered encoder and reference set of the reported C_T curve, null when there is none. */
  layeredEncoder: CaseCurves['encoder'] | null;
  ctReference: CaseCurves['reference'] | null;
  modelCards: ModelCard[];
  /** Reader name -> version, over every provenance report included. */
  provenanceTools: Record<string, string>;
  /** The hash sets every exhibit was looked up in (all of the library's when the report was made). */
  hashSets: HashSetSummary[];
}

export interface SpectrumData {
  crops: number;
  /** Centred log10 magnitude, row-major, size x size. */
  spectrum2d: { size: number; values: number[] };
  radial: { frequency: number[]; power: number[] };
}

export type FingerprintFinding =
  | { state: 'not_fingerprinted'; reason: string }
  | { state: 'fingerprinted'; facts: FingerprintFacts; spectrum: SpectrumData | null };

/**
 * An attribution run as the case stores it (src-engine/attribution), less its per-item and set
 * results, which the findings carry: what every LR was computed with and against.
 */
export type AttributionRun = Omit<AttributionRecord, 'items' | 'set'>;

/** A calibration a reported result used: its stored figures and, when available, its Tippett data. */
export interface ReportedCalibration extends UsedCalibration {
  /** The calibration set (file) it belongs to. */
  calibrationSetId: string;
  /**
   * Tippett data from the installed calibration set: the validation generators' when the entry was
   * validated, else the held-out LRs on the calibration generators; null with a reason when the
   * installed set is another one.
   */
  tippett: TippettCurve | null;
  tippettSource: 'validation' | 'held-out' | null;
  tippettNote: string | null;
}

/** The generators behind a calibration, as its file lists them. */
export type ReportedPopulation = CalibrationInfo['population'];

export interface AttributionContext {
  /** Newest first; only runs that at least one reported finding comes from. */
  runs: AttributionRun[];
  calibrations: ReportedCalibration[];
  /** What the calibration population is (from the installed calibration set matching the runs), null when not installed. */
  calibrationSets: CalibrationSetSummary[];
  /** The gallery snapshot an attribution would be made against now; null when it could not be read. */
  currentGallerySha256: string | null;
  /** Runs (ids) made against another snapshot of the gallery than the current one: the gallery changed since. */
  olderGalleryRuns: string[];
}

export interface CalibrationSetSummary {
  id: string;
  createdUtc: string;
  fileSha256: string;
  /** The data it was fitted on, as its manifest describes it. */
  data: { description: string; folder: string; generators: number; images: number; manifestSha256: string | null };
  protocol: string;
  notes: string[];
  /** "Another model of the relevant population": the generators the calibration was fitted on. */
  population: ReportedPopulation;
  /** The generators its validation figures come from; null when it was not validated. */
  validationPopulation: ReportedPopulation | null;
}

/** The stored per-item result of the newest run that attributed the item, as it was recorded. */
export type AttributionFinding =
  | { performed: false; reason: string }
  | { performed: true; runId: string; result: ItemAttribution; /** Older runs that also attributed this item. */ earlierResults: number };

export interface ItemFindings {
  itemId: number;
  provenance: { analysedUtc: string; report: ProvenanceReport; contradictions: Contradiction[] } | null;
  fingerprint: FingerprintFinding;
  attribution: AttributionFinding;
}

export interface SetFindings {
  /** The newest stored set result per distinct set of the report's items. */
  attributions: Array<{ runId: string; result: SetAttribution; earlierResults: number }>;
  /** Why there is none, when there is none. */
  attributionNote: string | null;
  /** 1:1 comparisons of two sets recorded in the case's audit log, both sets among the report's items. */
  verifications: ReportedVerification[];
  curve: CurveFinding;
}

export interface ReportedVerification {
  auditSeq: number;
  atUtc: string;
  actor: string;
  a: number[];
  b: number[];
  sizeA: number;
  sizeB: number;
  mean: VerifiedScore;
  deepsets: VerifiedScore | null;
  deepsetsNote: string | null;
  wording: string;
  notes: string[];
  calibrationSetId: string;
}

/** One pooling's comparison of the two sets; the strength is the verbal scale's band of its LR. */
export interface VerifiedScore {
  score: number;
  log10Lr: number;
  strength: string;
  calibrationId: string;
  bagSize: number;
}

/** The case's latest C_T curve (when all its items are in the report) with the gallery's curves and the matches. */
export type CurveFinding =
  | { performed: false; reason: string }
  | { performed: true; curveId: string; itemIds: number[]; recordSha256: string; curves: CaseCurves & { case: NonNullable<CaseCurves['case']> } };

export interface Limitation {
  topic: string;
  text: string;
}

export interface Reproducibility {
  softwareVersion: string;
  node: string;
  databaseSchemaVersion: number;
  provenanceTools: Record<string, string>;
  extractor: { name: string; sha256: string; provider: string } | null;
  /** Parameters of the methods as they ran, name -> value. */
  parameters: Record<string, string>;
  /** Every model, calibration, gallery snapshot and reference set the findings rest on, with its hash. */
  hashes: Array<{ what: string; name: string; sha256: string }>;
  itemIds: number[];
  sections: ReportSection[];
}

export interface AuditState {
  entries: number;
  headSeq: number;
  headHash: string | null;
  chainOk: boolean;
  problems: string[];
}
