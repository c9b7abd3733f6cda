// Everything a report says, gathered from the case in one typed, JSON-serialisable value. The PDF
// and the JSON bundle are both rendered from it and from nothing else, so they cannot disagree.
import type { CustodyEvent, FingerprintFacts, NotAnalysableReason, ReportSection } from '../api/contract.ts';
import type { Contradiction, ProvenanceReport } from '../provenance/types.ts';

export const REPORT_DATA_VERSION = 1;

export interface ReportData {
  reportVersion: typeof REPORT_DATA_VERSION;
  reportId: string;
  generatedUtc: string;
  generatedBy: string;
  software: { name: 'modelprint'; version: string; node: string; platform: string };
  case: { id: string; number: string; title: string; examiner: string; description: string; createdUtc: string };
  sections: ReportSection[];
  integrity: IntegrityCheck;
  exhibits: Exhibit[];
  methods: Methods;
  items: ItemFindings[];
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
  modelCards: ModelCard[];
  /** Reader name -> version, over every provenance report included. */
  provenanceTools: Record<string, string>;
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

/** One candidate model for an item or a set, with the strength of the evidence for it. */
export interface AttributionCandidate {
  model: string;
  family: string | null;
  similarity: number;
  /** Likelihood ratio of "made by this model" against "made by another model of the population". */
  likelihoodRatio: number;
}

export interface AttributionResult {
  performed: true;
  galleryVersion: string;
  propositions: { prosecution: string; defence: string };
  candidates: AttributionCandidate[];
  openSet: 'known_model' | 'unknown_model' | 'inconclusive';
  calibration: string;
}

export type AttributionFinding = { performed: false; reason: string } | AttributionResult;

export interface ItemFindings {
  itemId: number;
  provenance: { analysedUtc: string; report: ProvenanceReport; contradictions: Contradiction[] } | null;
  fingerprint: FingerprintFinding;
  attribution: AttributionFinding;
}

export type SetFindings = { performed: false; reason: string } | { performed: true; sets: Array<{ label: string; itemIds: number[] } & AttributionResult> };

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
  galleryVersion: string | null;
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
