// The one API between the renderer and the engine. The Electron preload exposes it over IPC and
// the loopback browser host serves it over HTTP; both validate every input with these schemas
// before the engine sees it. The renderer imports types only, so zod never reaches its bundle.
import { z } from 'zod';
import type { CalibrationSet, CompressionClass, EntryValidation, LrFigures, Pooling, VerbalEquivalent } from './calibration.ts';
import type { GalleryReference, ModelDescription } from './gallery.ts';
import { HASH_SET_CATEGORIES, type HashSetImportOutcome, type HashSetMatch, type HashSetSummary } from './hash-sets.ts';
import type { Contradiction, ProvenanceReport } from './provenance.ts';
import { charactersOf, CONTROLS, CONTROLS_BUT_NEWLINE, FORMAT_CHARACTERS } from '../base/invisible-characters.ts';

export type { BadHashLine, HashListFormat, HashSetCategory, HashSetImportOutcome, HashSetMatch, HashSetSummary } from './hash-sets.ts';
export type { GalleryReference } from './gallery.ts';
export type { CalibrationEntry, CalibrationSet, Pooling, TippettCurve, VerbalEquivalent } from './calibration.ts';

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
const galleryModelName = text(200).min(1, 'a model name is required');

/** The longest tag: a label to sort and filter by, not a note. */
const TAG_MAX_LENGTH = 64;
const UNSEEN_IN_TAG = charactersOf(CONTROLS, FORMAT_CHARACTERS);
/** A tag as the examiner types it: trimmed, one line, nothing a reader could not see. */
const Tag = text(TAG_MAX_LENGTH)
  .min(1, 'A tag needs text.')
  .refine((tag) => tag.search(UNSEEN_IN_TAG) < 0, 'A tag cannot hold control or invisible characters.');
const ItemIds = z.array(ItemId).min(1, 'no items given').max(100_000);
/** Text the examiner writes for the report: line breaks allowed, other controls and invisible characters not. */
const UNSEEN_IN_STATEMENT = charactersOf(CONTROLS_BUT_NEWLINE, FORMAT_CHARACTERS);
const statementText = (max: number) => text(max).refine((value) => value.search(UNSEEN_IN_STATEMENT) < 0, 'cannot hold control or invisible characters');
const statementLine = (max: number) => text(max).refine((value) => value.search(UNSEEN_IN_TAG) < 0, 'must be one line of visible text');
/** A calendar date (the day a block is signed or a review made), YYYY-MM-DD, or empty for none. */
const CalendarDate = z.union([
  z.literal(''),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date'),
]);
export const REVIEW_OUTCOMES = ['agreed', 'agreed-with-comments', 'disagreed'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

// Reports: what a report request may choose (used by startReport and previewReport below).
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
      /**
       * Items to report on, in exhibit order whatever order they are given in. When omitted: the
       * bookmarked items if the case has any (bookmarks feed the report), else every item.
       */
      itemIds: z.array(ItemId).min(1).max(100_000).optional(),
      /** Every item of the case, bookmarked or not (not with itemIds). */
      allItems: z.boolean().default(false),
      /** Parts to include (all when omitted). */
      sections: z.array(z.enum(REPORT_SECTIONS)).min(1).optional(),
    })
    .strict()
    .refine((r) => !(r.allItems && r.itemIds), 'give either the items or all items, not both');
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
  /** Corrects the case's title, examiner or description (recorded in the audit log with the old values). */
  updateCase: z
    .object({
      caseId: CaseId,
      title: text(200).min(1, 'a title is required').optional(),
      examiner: text(120).min(1, 'an examiner is required').optional(),
      description: text(10_000).optional(),
    })
    .strict(),
  /** Adds the examiner's note to an item or (without itemId) to the case; recorded in custody and the audit log. */
  addNote: z.object({ caseId: CaseId, itemId: ItemId.optional(), text: text(20_000).min(1, 'a note needs text') }).strict(),
  /** The notes on one item, or on the case and all its items (oldest first). */
  listNotes: z.object({ caseId: CaseId, itemId: ItemId.optional() }).strict(),
  /** Adds a tag to items (or removes it); each change is recorded in the item's custody and the audit log. */
  tagItems: z.object({ caseId: CaseId, itemIds: ItemIds, tag: Tag, remove: z.boolean().default(false) }).strict(),
  /** The case's tags with how many items carry each, in alphabetical order. */
  listTags: z.object({ caseId: CaseId }).strict(),
  /** Bookmarks items, with an optional comment (a bookmarked item's comment is replaced), or removes their bookmarks. */
  bookmarkItems: z.object({ caseId: CaseId, itemIds: ItemIds, comment: statementText(2000).default(''), remove: z.boolean().default(false) }).strict(),
  /** The case's bookmarks in item order. */
  listBookmarks: z.object({ caseId: CaseId }).strict(),
  /** The examiner's conclusions, declaration, signature block and peer review for the report. */
  getStatement: z.object({ caseId: CaseId }).strict(),
  /** Changes the fields given (each change an audit entry with the old and new values); a changed declaration must be confirmed again. */
  updateStatement: z
    .object({
      caseId: CaseId,
      conclusions: statementText(50_000).optional(),
      declaration: statementText(10_000).min(1, 'a declaration needs text').optional(),
      declarationConfirmed: z.boolean().optional(),
      signature: z.object({ name: statementLine(120), role: statementLine(120), organisation: statementLine(200), date: CalendarDate }).strict().partial().optional(),
      review: z
        .object({ reviewer: statementLine(120), date: CalendarDate, outcome: z.enum(REVIEW_OUTCOMES).nullable(), comments: statementText(20_000) })
        .strict()
        .partial()
        .optional(),
    })
    .strict(),
  /** Closes, reopens, archives or unarchives the case (each recorded in the audit log). */
  setCaseStatus: z.object({ caseId: CaseId, status: z.enum(['open', 'closed', 'archived']) }).strict(),
  listEvidence: z
    .object({
      caseId: CaseId,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
      /** Narrows and orders the list; offsets count within what it leaves. */
      query: z
        .object({
          /** Part of the file name or original path, or the start of the SHA-256 (case-insensitive). */
          search: z.string().max(200).optional(),
          format: z.string().max(16).optional(),
          status: z.enum(['analysable', 'not_analysable']).optional(),
          /** The item's latest attribution decision; 'none' = never attributed. */
          decision: z.enum(['attributed', 'tied', 'inconclusive', 'no-known-model', 'none']).optional(),
          /** Items carrying this tag (compared without regard to case). */
          tag: Tag.optional(),
          /** Only bookmarked items (true) or only the others (false). */
          bookmarked: z.boolean().optional(),
          /** Items listed in the library's hash sets: in any set, in a set of one category, or in none. */
          hashSet: z.enum(['any', ...HASH_SET_CATEGORIES, 'none']).optional(),
          sort: z.enum(['item', 'name', 'received', 'size', 'decision']).default('item'),
          descending: z.boolean().default(false),
        })
        .strict()
        .optional(),
    })
    .strict(),
  /** The ids of every item a listEvidence query leaves, in item order: what a picker by tag or bookmark chooses. */
  listItemIds: z
    .object({ caseId: CaseId, query: z.object({ tag: Tag.optional(), bookmarked: z.boolean().optional() }).strict() })
    .strict(),
  getEvidence: z.object({ caseId: CaseId, itemId: ItemId }).strict(),
  /** The case's evidence list (every item, as `modelprint export` writes it) for saving a copy; recorded in the audit log with its hash. */
  exportEvidenceList: z.object({ caseId: CaseId, format: z.enum(['csv', 'json']) }).strict(),
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

  // Spectral fingerprints.
  getModelInfo: z.object({}).strict(),
  /** Fingerprints the given items (all analysable items when omitted); computed once per model, reused. */
  startFingerprint: z.object({ caseId: CaseId, itemIds: z.array(ItemId).min(1).max(100_000).optional() }).strict(),
  /** Spectra of one item, or averaged over a selection, for the spectrum views. */
  getSpectra: z.object({ caseId: CaseId, itemIds: z.array(ItemId).min(1).max(500) }).strict(),

  // ---- The gallery browser ----------------------------------------------------------------------
  /** The gallery's models with their fingerprint state, and whether its history chain holds. */
  listGallery: z.object({}).strict(),
  /** Similarity heatmap, dendrogram and 2D map of the models that have a current fingerprint. */
  getGalleryFamilies: z.object({}).strict(),
  /** Enrols reference images (files or folders) into a model, created when new; a job. Fields given are set. */
  startGalleryEnrol: z
    .object({
      name: galleryModelName,
      family: text(120).optional(),
      version: text(200).optional(),
      source: text(1000).optional(),
      notes: text(10_000).optional(),
      parent: galleryModelName.optional(),
      paths: z.array(filePath).min(1).max(100_000),
      /** Required to add images to a model that already exists (refused otherwise, so a name typed twice cannot merge two generators). */
      addToExisting: z.boolean().default(false),
    })
    .strict(),
  /** Removes a model, its reference images and fingerprints (refused while it is a parent). */
  removeGalleryModel: z.object({ name: galleryModelName }).strict(),
  /** Removes one reference image of a model (not its last) and recomputes the model's fingerprints. */
  removeGalleryReference: z.object({ name: galleryModelName, sha256: Sha256 }).strict(),
  /** A model's reference images (hash, name, when enrolled), in enrolment order. */
  listGalleryReferences: z.object({ name: galleryModelName }).strict(),
  /** The gallery's history chain, newest first, with its verification and whether the last change can be undone. */
  getGalleryHistory: z.object({}).strict(),
  /** Undoes the last change, which must be entry `seq`; recorded as a new history entry. */
  undoGalleryChange: z.object({ seq: z.number().int().positive() }).strict(),

  // ---- Hash sets (known file hashes, shared by every case) ------------------------------------
  listHashSets: z.object({}).strict(),
  /** Imports a plain SHA-256/MD5 list or an NSRL RDS-style CSV from a file under a new name. */
  importHashSet: z
    .object({ name: text(200).min(1, 'a hash set name is required'), category: z.enum(HASH_SET_CATEGORIES), path: filePath })
    .strict(),
  removeHashSet: z.object({ name: text(200).min(1, 'a hash set name is required') }).strict(),

  // ---- Attribution (calibrated LRs, open set) ---------------------------------------------------
  /** The installed calibration set: every (pooling, bag size) entry with its held-out figures and Tippett data. */
  getCalibration: z.object({}).strict(),
  /**
   * Attributes the given items (all when omitted) against the gallery, each image on its own and,
   * in 'set' mode, the selection as one set too; items without a fingerprint are fingerprinted first. A job.
   */
  startAttribution: z
    .object({
      caseId: CaseId,
      itemIds: z.array(ItemId).min(1).max(100_000).optional(),
      mode: z.enum(['items', 'set']).default('items'),
      top: z.number().int().min(1).max(100).default(5),
    })
    .strict(),
  /** The case's recorded attribution results, newest first. */
  listAttributions: z.object({ caseId: CaseId }).strict(),
  /** 1:1: were two disjoint sets of fingerprinted items made by the same model? Recorded in the audit log. */
  verifySets: z.object({ caseId: CaseId, a: z.array(ItemId).min(1).max(100_000), b: z.array(ItemId).min(1).max(100_000) }).strict(),

  // ---- C_T curves -------------------------------------------------------------------------------
  /** Computes the C_T curve of the given items (all analysable items when omitted) as one set, and records it. A job. */
  startCurve: z.object({ caseId: CaseId, itemIds: z.array(ItemId).min(1).max(100_000).optional() }).strict(),
  /** The case's latest curve for the installed encoder and reference set, the gallery's curves and the ranked matches. */
  getCurves: z.object({ caseId: CaseId }).strict(),

  // ---- Provenance analysis and evidence reports -------------------------------------------------
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
  // ---- end of provenance and reports ------------------------------------------------------------
} as const;


export type ApiMethod = keyof typeof apiInputs;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;

/** 'closed': examination finished, no new evidence; 'archived': closed and read-only. */
export type CaseStatus = 'open' | 'closed' | 'archived';

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
  /** The folder the file was received from (its original path without the name). */
  sourceFolder: string;
  /** The latest attribution decision on the item alone, and the model it names; null when never attributed. */
  decision: { kind: Decision['kind']; model: string | null } | null;
  /** The examiner's tags on the item, alphabetical. */
  tags: string[];
  /** The examiner's bookmark on the item; null when it is not bookmarked. */
  bookmark: Bookmark | null;
  /** The library's hash sets that list the item (by its SHA-256 or MD5), looked up when asked. */
  hashSetMatches: HashSetMatch[];
}

export interface Bookmark {
  itemId: number;
  /** Why it was bookmarked, in the examiner's words ('' for none). */
  comment: string;
  atUtc: string;
  actor: string;
}

export interface TagCount {
  tag: string;
  items: number;
}

/** Which of the given items a tag or bookmark change changed (the others already were as asked). */
export interface MarkingChange {
  changed: number[];
  unchanged: number[];
}

/** What the examiner states in the report beside the findings. */
export interface ExaminerStatement {
  /** The examiner's conclusions, as written ('' when none are written yet). */
  conclusions: string;
  /** The declaration's wording (the default one until the examiner writes another), and when it was confirmed (null: not confirmed). */
  declaration: { text: string; isDefault: boolean; confirmedUtc: string | null };
  /** The signature block printed for signing on paper; the date is YYYY-MM-DD or ''. */
  signature: { name: string; role: string; organisation: string; date: string };
  review: { reviewer: string; date: string; outcome: ReviewOutcome | null; comments: string };
  /** When any of it was last changed; null when never written. */
  modifiedUtc: string | null;
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

/** The examiner's note on an item (itemId) or on the case (itemId null); notes are never edited. */
export interface Note {
  id: number;
  itemId: number | null;
  atUtc: string;
  actor: string;
  text: string;
}

export interface Finding {
  id: number;
  itemId: number | null;
  /** The item's original file name, so a finding reads on its own. */
  itemName: string | null;
  /** record_mismatch: a record of the case (or a gallery entry) no longer matches its digest in the chain. */
  kind: 'hash_mismatch' | 'missing_file' | 'record_mismatch';
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
  /** How many records the entry's change wrote (their digests are in the chain). */
  records: number;
  prevHash: string;
  entryHash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headHash: string | null;
  /** Each break in the chain: which entry, and what is wrong with it. */
  problems: ChainProblem[];
  /** The records checked against the chain; ok needs both lists empty. */
  records: RecordCoverage;
  checkedUtc: string;
}

/** Records checked against the digests their chain holds (a case's audit log, the gallery's history). */
export interface RecordCoverage {
  /** Records whose digest matches the chain. */
  covered: number;
  /** Records made before record digests: not covered, and not counted as problems. */
  notCovered: number;
  /** Each record changed, deleted or inserted outside the application, with the entry that recorded it (0: none). */
  problems: ChainProblem[];
}

/** A break in a hash-chained log (a case's audit log, the gallery's history). */
export interface ChainProblem {
  seq: number;
  problem: 'altered' | 'broken_link' | 'sequence_gap' | 'head_mismatch' | 'checkpoint_mismatch' | 'record_changed' | 'record_deleted' | 'record_unrecorded';
  message: string;
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
  /** A failed job's error code when the error was an ApiError (null otherwise): the CLI exits by it. */
  errorCode: ApiErrorCode | null;
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
  | (JobBase & { kind: 'report'; report: ReportRecord | null })
  | (JobBase & { kind: 'attribution'; mode: 'items' | 'set'; phase: 'fingerprint' | 'attribute'; attributionId: string | null; failures: Array<{ itemId: number; message: string }> })
  | GalleryEnrolJob
  | CurveJob;

// ---- The gallery browser ------------------------------------------------------------------------

/** Enrolment into the library's gallery: a job of no case (caseId null). */
export type GalleryEnrolJob = Omit<JobBase, 'caseId'> & {
  kind: 'gallery-enrol';
  caseId: null;
  model: string;
  /** Whether the enrolment made a new model, once the job is done (null before). */
  created: boolean | null;
  counts: { embedded: number; alreadyEnrolled: number; failed: number };
  failures: Array<{ path: string; message: string }>;
  /** The model's reference images once the job is done (null before). */
  imageCount: number | null;
  /** The C_T curve from the enrolled images once done: its image count, or why there is none (null before). */
  curve: { imageCount: number | null; reason: string | null } | null;
};

/** A model of the gallery as the browser lists it. */
export interface GalleryEntry extends ModelDescription {
  imageCount: number;
  /** Fewer reference images than the paper's protocol uses (10): flagged wherever the model is shown. */
  weakReference: boolean;
  /** 'current': matched against; 'stale': made by another extractor, re-enrol; 'none': no embedding. */
  fingerprintState: 'current' | 'stale' | 'none';
  hasCurve: boolean;
  createdUtc: string;
}

export interface GalleryOverview {
  extractor: { name: string; sha256: string };
  models: GalleryEntry[];
  /** The gallery history's hash chain checked against the head the gallery keeps. */
  history: { ok: boolean; entries: number; headHash: string | null; problems: ChainProblem[]; records: RecordCoverage };
  /** The sha256 an attribution run against the gallery now would record (its models and fingerprints for this extractor). */
  snapshotSha256: string;
}

export interface GalleryFamilies {
  /** Models with a current fingerprint, in name order; every array below follows this order. */
  models: string[];
  families: string[];
  /** Cosine similarity of each pair of fingerprints. */
  similarity: number[][];
  /** scipy's linkage form: ids < n are models, n + i is merge i; average linkage on 1 - cosine. */
  linkage: Array<{ a: number; b: number; distance: number; size: number }>;
  /** The dendrogram's leaves, left to right (indices into models). */
  leafOrder: number[];
  /** method says how the map was made (UMAP and its settings, or PCA and why). */
  map: { method: string; points: Array<{ x: number; y: number }> };
  /** Models left out: no fingerprint from the installed extractor. */
  excluded: string[];
}

/** One entry of the gallery's hash-chained history as the browser lists it. */
export interface GalleryHistoryEntry {
  seq: number;
  atUtc: string;
  actor: string;
  action: string;
  /** The model the change concerns (null for changes of the whole gallery). */
  model: string | null;
  /** What changed, in words (image counts, the reference's name, which entry an undo reversed). */
  summary: string;
  entryHash: string;
}

export interface GalleryHistory {
  /** Newest first. */
  entries: GalleryHistoryEntry[];
  /** The chain checked entry by entry and against the head the gallery keeps. */
  verification: { ok: boolean; entries: number; headHash: string | null; problems: ChainProblem[] };
  /** The last entry when undo can reverse it (enrolment, added references, a removed reference), else null. */
  undoable: { seq: number; action: string; model: string | null } | null;
  /** Why the last change cannot be undone, in words (null when it can, or when the history is empty). */
  undoRefusal: string | null;
}

// ---- end of the gallery browser -----------------------------------------------------------------

// ---- Attribution --------------------------------------------------------------------------------

/** The calibration file as installed, with whether its DeepSets entries fit the installed set encoder. */
export type CalibrationInfo = CalibrationSet & {
  file: string;
  fileSha256: string;
  deepsets: { usable: boolean; reason: string | null };
};

/** A gallery model ranked for one query, its cosine score turned into a calibrated LR. */
export interface AttributedCandidate {
  rank: number;
  name: string;
  family: string;
  /** Cosine similarity: uncalibrated, not a probability. */
  score: number;
  log10Lr: number;
  verbal: VerbalEquivalent;
  /** Fewer than 10 reference images: flagged in every output. */
  weakReference: boolean;
  referenceImages: number;
  /** One of the query's images is among this model's reference images: not independent evidence. */
  referenceOverlap: boolean;
  /** The calibration entry this candidate's LR came from (it depends on the entry's reference count). */
  calibrationId: string;
}

/** What the decision rule concluded; 'tied': the top candidates are within a factor of 10, and the gallery does not tell them apart. */
export type DecisionKind = 'attributed' | 'tied' | 'inconclusive' | 'no-known-model';

/** The open-set decision (src-engine/calibration/decision.ts). */
export interface Decision {
  kind: DecisionKind;
  /** The model attributed to; null unless kind is 'attributed'. */
  model: string | null;
  /** The top candidate the rule looked at (whatever the decision). */
  candidate: string;
  log10Lr: number;
  /** Attributed: other models at LR 10 or more; tied: the models tied with the top candidate. */
  alsoSupported: string[];
  /** Why the evidence lies outside what the calibration was validated for (the decision is then inconclusive). */
  outOfValidity: string[];
  /** Source in the gallery vs not, from the best score; null when not assessed. */
  openSetLog10Lr: number | null;
  wording: string;
}

export interface ItemAttribution {
  itemId: number;
  originalName: string;
  sha256: string;
  calibrationId: string;
  /** What the evidence shows of its condition, in words ("JPEG, estimated quality 75, 512 × 512"). */
  evidenceCondition: string;
  candidates: AttributedCandidate[];
  decision: Decision;
  /** The best-ranked model whose reference images include this very image, if any. */
  referenceOverlap: string | null;
}

export interface SetMethodAttribution {
  calibrationId: string;
  /** The calibrated bag size used: the largest not above the set's size. */
  bagSize: number;
  evidenceCondition: string;
  candidates: AttributedCandidate[];
  decision: Decision;
  referenceOverlap: string | null;
}

export interface SetAttribution {
  size: number;
  itemIds: number[];
  mean: SetMethodAttribution;
  deepsets: SetMethodAttribution | null;
  /** Why DeepSets is absent, when it is. */
  deepsetsNote: string | null;
  /** Items of the set that are reference images of some gallery model. */
  overlappingItems: number[];
}

/** A calibration a result used, with the figures that qualify its LRs. */
export interface UsedCalibration {
  calibrationId: string;
  pooling: Pooling;
  bagSize: number;
  /** Reference images behind the gallery entries this calibration is for. */
  references: number;
  compression: CompressionClass;
  description: string;
  sameCount: number;
  differentCount: number;
  heldOut: (LrFigures & { folds: number }) | null;
  /** Measured on the validation generators (real generators no fitting or choice used); null: not validated. */
  validation: Omit<EntryValidation, 'tippett'> | null;
}

export interface AttributionRecord {
  id: string;
  createdUtc: string;
  actor: string;
  mode: 'items' | 'set';
  itemIds: number[];
  extractor: { name: string; sha256: string };
  /** The set encoder, when the DeepSets result was computed. */
  setEncoder: { name: string; sha256: string } | null;
  /** The competing propositions every LR is about, and the population "another model" is drawn from. */
  propositions: { same: string; different: string; population: string };
  calibration: { id: string; fileSha256: string; createdUtc: string; entries: UsedCalibration[] };
  gallery: { models: number; sha256: string; weakReferences: string[]; excluded: string[] };
  items: ItemAttribution[];
  set: SetAttribution | null;
  /** Selected items with no result: not analysable, or their fingerprint failed. */
  skipped: Array<{ itemId: number; originalName: string; reason: string }>;
}

export interface SetVerificationMethod {
  score: number;
  log10Lr: number;
  verbal: VerbalEquivalent;
  calibrationId: string;
  bagSize: number;
}

export interface SetVerification extends SetVerificationMethod {
  sizeA: number;
  sizeB: number;
  pooling: 'mean';
  wording: string;
  deepsets: SetVerificationMethod | null;
  deepsetsNote: string | null;
  notes: string[];
  calibrationSetId: string;
}

// ---- end of attribution -------------------------------------------------------------------------

// ---- C_T curves ---------------------------------------------------------------------------------

/** A curve job: embed the items with the layered encoder, then C_T per layer against the reference set. */
export type CurveJob = JobBase & {
  kind: 'curve';
  phase: 'embed' | 'measure';
  counts: { embedded: number; skipped: number; failed: number };
  failures: Array<{ itemId: number; message: string }>;
  curveId: string | null;
};

/** A set of images' C_T curve (docs/methods.md §2): one value per layer of the layered encoder. */
export interface CurveRecord {
  /** Images the curve is made of (its items are in the case's curves table and audit entry). */
  itemCount: number;
  /** C_T per layer; null where undefined (no cell kept), never 0. */
  values: (number | null)[];
  /** Cells kept (Q share > tau = 20/m) per layer. */
  keptCells: number[];
  computedUtc: string;
  /** The fewest images for which any cell can be kept (21). */
  minimumImages: number;
  /** Why values are undefined or less reliable (too few images), or null. */
  note: string | null;
}

export interface CaseCurves {
  encoder: { name: string; sha256: string; layers: number };
  reference: { sha256: string; tCount: number; pCount: number; description: string };
  /** The case's latest curve for this encoder and reference set; null when none was computed. */
  case: CurveRecord | null;
  /** Gallery models with a curve for this encoder and reference set, in name order. */
  gallery: Array<{ model: string; family: string; imageCount: number; values: (number | null)[] }>;
  /** The case curve against each gallery curve: 0.5 cos + 0.5 / (1 + distance), undefined layers as 0; best first. Empty without a case curve. */
  matches: Array<{ model: string; score: number }>;
}

// ---- end of C_T curves --------------------------------------------------------------------------

// ---- Provenance and reports ---------------------------------------------------------------------

export interface ProvenanceCounts {
  analysed: number;
  failed: number;
}

/** An item's stored provenance analysis, compared with the item's latest attribution (null when it has none). */
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

// ---- end of provenance and reports --------------------------------------------------------------

export interface AppInfo {
  version: string;
  host: 'electron' | 'browser';
  /** Native open dialogs exist only in Electron; the browser host imports by typed path or drop. */
  nativeDialogs: boolean;
  libraryPath: string;
  pixelLimit: number;
}

export type EvidenceQuery = NonNullable<ApiParsedInput<'listEvidence'>['query']>;

export interface EvidencePage {
  /** Items the query leaves (all of the case's without one). */
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
  updateCase: CaseSummary;
  setCaseStatus: CaseSummary;
  addNote: Note;
  listNotes: Note[];
  tagItems: MarkingChange;
  listTags: TagCount[];
  bookmarkItems: MarkingChange;
  listBookmarks: Bookmark[];
  getStatement: ExaminerStatement;
  updateStatement: ExaminerStatement;
  listItemIds: number[];
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
  exportEvidenceList: Uint8Array;
  getCalibration: CalibrationInfo;
  startAttribution: JobStatus;
  listAttributions: AttributionRecord[];
  verifySets: SetVerification;
  listHashSets: HashSetSummary[];
  importHashSet: HashSetImportOutcome;
  removeHashSet: HashSetSummary[];
  listGallery: GalleryOverview;
  getGalleryFamilies: GalleryFamilies;
  startGalleryEnrol: JobStatus;
  removeGalleryModel: GalleryOverview;
  removeGalleryReference: GalleryOverview;
  listGalleryReferences: GalleryReference[];
  getGalleryHistory: GalleryHistory;
  undoGalleryChange: GalleryHistory;
  startCurve: JobStatus;
  getCurves: CaseCurves;
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
