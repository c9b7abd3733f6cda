// The one API between the renderer and the engine. The Electron preload exposes it over IPC and
// the loopback browser host serves it over HTTP; both validate every input with these schemas
// before the engine sees it. The renderer imports types only, so zod never reaches its bundle.
import { z } from 'zod';
import type { Contradiction, ProvenanceReport } from '../provenance/types.ts';

export const CaseId = z.string().regex(/^[0-9a-f-]{36}$/, 'case id must be a UUID');
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits');
const ItemId = z.number().int().positive();
const JobId = z.string().regex(/^[0-9a-f-]{36}$/, 'job id must be a UUID');
const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .trim()
    .max(max, `must be at most ${max} characters`);
const filePath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte');

// Part 4: what a report request may choose (used by startReport and previewReport below).
/**
 * Report parts the examiner can choose. The cover, the contents and the integrity re-verification
 * are always there: a report that does not say whose case it is, or whether the exhibits are
 * still what was received, is not one. 'provenance', 'spectra' and 'attribution' are the parts of
 * each item's findings.
 */
export const REPORT_SECTIONS = ['exhibits', 'methods', 'provenance', 'spectra', 'attribution', 'set-findings', 'limitations', 'reproducibility', 'audit'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

function reportRequest() {
  return z
    .object({
      caseId: CaseId,
      /** Items to report on (all items when omitted), in exhibit order whatever order they are given in. */
      itemIds: z.array(ItemId).min(1).max(100_000).optional(),
      /** Parts to include (all when omitted). */
      sections: z.array(z.enum(REPORT_SECTIONS)).min(1).optional(),
    })
    .strict();
}

export const apiInputs = {
  getAppInfo: z.object({}).strict(),
  listCases: z.object({}).strict(),
  createCase: z
    .object({
      number: text(64).min(1, 'a case number is required'),
      title: text(200).min(1, 'a title is required'),
      examiner: text(120).min(1, 'an examiner is required'),
      description: text(10_000).default(''),
    })
    .strict(),
  getCase: z.object({ caseId: CaseId }).strict(),
  listEvidence: z
    .object({
      caseId: CaseId,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
    })
    .strict(),
  getEvidence: z.object({ caseId: CaseId, itemId: ItemId }).strict(),
  getThumbnail: z.object({ caseId: CaseId, sha256: Sha256 }).strict(),
  startImport: z
    .object({
      caseId: CaseId,
      paths: z.array(filePath).min(1).max(100_000),
      /** 'upload' marks files the browser host staged from a drag-and-drop (no original path is known). */
      via: z.enum(['path', 'upload']).default('path'),
    })
    .strict(),
  startVerify: z.object({ caseId: CaseId }).strict(),
  cancelJob: z.object({ jobId: JobId }).strict(),
  listJobs: z.object({}).strict(),
  listFindings: z.object({ caseId: CaseId }).strict(),
  listAudit: z
    .object({
      caseId: CaseId,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(500),
    })
    .strict(),
  verifyAudit: z.object({ caseId: CaseId }).strict(),
  chooseImportPaths: z.object({ mode: z.enum(['files', 'folder']) }).strict(),

  // Part 2: spectral fingerprints.
  getModelInfo: z.object({}).strict(),
  /** Fingerprints the given items (all analysable items when omitted); computed once per model, reused. */
  startFingerprint: z.object({ caseId: CaseId, itemIds: z.array(ItemId).min(1).max(100_000).optional() }).strict(),
  /** Spectra of one item, or averaged over a selection, for the spectrum views. */
  getSpectra: z.object({ caseId: CaseId, itemIds: z.array(ItemId).min(1).max(500) }).strict(),

  // ---- Part 4: provenance analysis and evidence reports -------------------------------------
  /** Analyses provenance of the given items (again), or of every item not analysed yet when none are given. */
  startProvenance: z.object({ caseId: CaseId, itemIds: z.array(ItemId).min(1).max(100_000).optional() }).strict(),
  /** One item's stored provenance report with its contradictions; null when it was never analysed. */
  getProvenance: z.object({ caseId: CaseId, itemId: ItemId }).strict(),
  /** Re-verifies every exhibit's hash, then writes the PDF and its JSON bundle into the case and records both. */
  startReport: reportRequest(),
  listReports: z.object({ caseId: CaseId }).strict(),
  /** The report's HTML for these choices, recording nothing: the report screen's preview. */
  previewReport: reportRequest(),
  /** The bytes of a recorded report's PDF or JSON bundle, for saving a copy. */
  getReportFile: z.object({ caseId: CaseId, reportId: z.string().regex(/^[0-9a-f-]{36}$/, 'report id must be a UUID'), kind: z.enum(['pdf', 'json']) }).strict(),
  // ---- end of part 4 ---------------------------------------------------------------------------
} as const;


export type ApiMethod = keyof typeof apiInputs;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;

export type CaseStatus = 'open' | 'closed';

export interface CaseSummary {
  id: string;
  number: string;
  title: string;
  examiner: string;
  description: string;
  status: CaseStatus;
  createdUtc: string;
  modifiedUtc: string;
  itemCount: number;
  openFindings: number;
}

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'gif';

/** Why a received file cannot be analysed; it is still kept, hashed and recorded. */
export type NotAnalysableReason =
  | 'empty'
  | 'not_image'
  | 'unsupported_format'
  | 'corrupt'
  | 'too_many_pixels';

export interface EvidenceSummary {
  id: number;
  sha256: string;
  originalName: string;
  sizeBytes: number;
  format: string | null;
  width: number | null;
  height: number | null;
  status: 'analysable' | 'not_analysable';
  reasonCode: NotAnalysableReason | null;
  hasThumbnail: boolean;
  openFindings: number;
  /** Whether a fingerprint from the current extractor is stored for the item. */
  fingerprinted: boolean;
}

export interface CustodyEvent {
  id: number;
  atUtc: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

export interface EvidenceDetail extends EvidenceSummary {
  md5: string;
  originalPath: string;
  receivedUtc: string;
  receivedBy: string;
  mime: string | null;
  extension: string;
  extensionMatches: boolean;
  channels: number | null;
  bitDepth: number | null;
  colorSpace: string | null;
  hasAlpha: boolean | null;
  pages: number | null;
  reason: string | null;
  custody: CustodyEvent[];
  findings: Finding[];
  fingerprint: FingerprintFacts | null;
}

export interface FingerprintFacts {
  modelName: string;
  modelSha256: string;
  /** The onnxruntime execution provider that computed it ('cpu', 'cuda', 'webgpu'). */
  provider: string;
  crops: number;
  computedUtc: string;
}

export interface ModelInfo {
  name: string;
  sha256: string;
  embeddingDim: number;
  /** The model card, Markdown. */
  card: string;
  /** Execution providers tried in order, and the one in use. */
  providersTried: string[];
  provider: string;
}

export interface SpectrumSet {
  itemIds: number[];
  /** Crops averaged: 9 per image of 128 px or more on both sides (3x3 window), fewer for small images. */
  crops: number;
  modelSha256: string;
  provider: string;
  /** Centred (DC in the middle) log10 magnitude spectrum, averaged over colour channels, crops and items. */
  spectrum2d: { size: number; values: number[] };
  /** Azimuthally averaged power spectrum: frequency in cycles per pixel (0..0.5), mean log10 power. */
  radial: { frequency: number[]; power: number[] };
  /** For a single item: the noise residual of its centre crop as an 8-bit greyscale PNG, contrast-stretched for display. */
  residualPng: Uint8Array | null;
}

export interface Finding {
  id: number;
  itemId: number | null;
  /** The item's original file name, so a finding reads on its own. */
  itemName: string | null;
  kind: 'hash_mismatch' | 'missing_file';
  detectedUtc: string;
  resolvedUtc: string | null;
  details: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  atUtc: string;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  prevHash: string;
  entryHash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headHash: string | null;
  /** Each break in the chain: which entry, and what is wrong with it. */
  problems: Array<{ seq: number; problem: 'altered' | 'broken_link' | 'sequence_gap' | 'head_mismatch'; message: string }>;
  checkedUtc: string;
}

export interface ImportCounts {
  imported: number;
  notAnalysable: number;
  duplicates: number;
  alreadyInCase: number;
  failed: number;
}

export interface VerifyCounts {
  verified: number;
  mismatched: number;
  missing: number;
}

export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

interface JobBase {
  id: string;
  caseId: string;
  state: JobState;
  total: number;
  done: number;
  current: string | null;
  startedUtc: string;
  finishedUtc: string | null;
  error: string | null;
}

export interface FingerprintCounts {
  computed: number;
  reused: number;
  /** Not analysable items, which have no pixels to fingerprint. */
  skipped: number;
  failed: number;
}

export type JobStatus =
  | (JobBase & { kind: 'import'; counts: ImportCounts; failures: Array<{ path: string; message: string }> })
  | (JobBase & { kind: 'verify'; counts: VerifyCounts })
  | (JobBase & { kind: 'fingerprint'; counts: FingerprintCounts; provider: string | null; failures: Array<{ itemId: number; message: string }> })
  | (JobBase & { kind: 'provenance'; counts: ProvenanceCounts; failures: Array<{ itemId: number; message: string }> })
  | (JobBase & { kind: 'report'; report: ReportRecord | null });

// ---- Part 4: provenance and reports ----------------------------------------------------------

export interface ProvenanceCounts {
  analysed: number;
  failed: number;
}

/** An item's stored provenance analysis, compared with the attribution (there is none before part 3). */
export interface ItemProvenance {
  itemId: number;
  analysedUtc: string;
  report: ProvenanceReport;
  contradictions: Contradiction[];
}

/** A file a report wrote into the case folder; the path is relative to the case folder. */
export interface ReportFile {
  path: string;
  sha256: string;
  sizeBytes: number;
}

/** One recorded report: its PDF and JSON bundle, what was chosen, and the audit head it was made at. */
export interface ReportRecord {
  id: string;
  createdUtc: string;
  actor: string;
  pdf: ReportFile;
  json: ReportFile;
  pages: number;
  options: { itemIds: number[]; sections: ReportSection[] };
  /** SHA-256 of the findings alone (no timestamps, ids or custody): equal inputs give equal digests. */
  findingsDigest: string;
  auditHead: { seq: number; hash: string | null };
  /** Exhibits whose re-verification before the report failed (their ids). */
  integrityProblems: number[];
}

// ---- end of part 4 -----------------------------------------------------------------------------

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  /** Native open dialogs exist only in Electron; the browser host imports by typed path or drop. */
  nativeDialogs: boolean;
  libraryPath: string;
  pixelLimit: number;
}

export interface EvidencePage {
  total: number;
  offset: number;
  items: EvidenceSummary[];
}

export type EngineEvent = { type: 'job'; job: JobStatus } | { type: 'case-changed'; caseId: string };

/** What each method returns. */
export interface ApiOutputs {
  getAppInfo: AppInfo;
  listCases: CaseSummary[];
  createCase: CaseSummary;
  getCase: CaseSummary;
  listEvidence: EvidencePage;
  getEvidence: EvidenceDetail;
  getThumbnail: Uint8Array;
  startImport: JobStatus;
  startVerify: JobStatus;
  cancelJob: JobStatus;
  listJobs: JobStatus[];
  listFindings: Finding[];
  listAudit: AuditEntry[];
  verifyAudit: AuditVerification;
  chooseImportPaths: string[];
  getModelInfo: ModelInfo;
  startFingerprint: JobStatus;
  getSpectra: SpectrumSet;
  startProvenance: JobStatus;
  getProvenance: ItemProvenance | null;
  startReport: JobStatus;
  listReports: ReportRecord[];
  previewReport: string;
  getReportFile: Uint8Array;
}

/** The engine side: one async function per method. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutputs[M]> };

/** What the renderer sees (window.modelprint): the methods, plus events and drag-and-drop import. */
export type ModelprintApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutputs[M]> } & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Imports files dropped on the window: by their paths in Electron, by upload in the browser host. */
  importDroppedFiles(caseId: string, files: File[]): Promise<JobStatus>;
};

/** Errors that cross the boundary keep a stable code so the UI can explain them. */
export type ApiErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'unsupported' | 'internal';

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
}
