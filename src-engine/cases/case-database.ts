// Row <-> contract mapping for one case's database. All SQL about cases and evidence lives here.
import path from 'node:path';
import type {
  CaseSummary,
  CustodyEvent,
  EvidenceDetail,
  EvidenceQuery,
  EvidenceSummary,
  Finding,
  FingerprintFacts,
  NotAnalysableReason,
} from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import type { HashSetMatch } from '../api/hash-sets.ts';
import type { Db } from '../db/open-database.ts';

interface CaseRow {
  case_uuid: string;
  number: string;
  title: string;
  examiner: string;
  description: string;
  status: 'open' | 'closed';
  archived_utc: string | null;
  created_utc: string;
  modified_utc: string;
}

export interface EvidenceRow {
  id: number;
  sha256: string;
  md5: string;
  size_bytes: number;
  original_name: string;
  original_path: string;
  received_utc: string;
  received_by: string;
  format: string | null;
  mime: string | null;
  extension: string;
  extension_matches: number;
  width: number | null;
  height: number | null;
  channels: number | null;
  bit_depth: number | null;
  color_space: string | null;
  has_alpha: number | null;
  pages: number | null;
  status: 'analysable' | 'not_analysable';
  reason_code: NotAnalysableReason | null;
  reason: string | null;
  has_thumbnail: number;
}

export type NewEvidence = Omit<EvidenceRow, 'id'>;

export function readCaseSummary(db: Db): CaseSummary {
  const row = db.prepare('SELECT * FROM case_info WHERE id = 1').get() as CaseRow;
  const counts = db
    .prepare(
      `SELECT (SELECT count(*) FROM evidence_items) AS items,
              (SELECT count(*) FROM findings WHERE resolved_utc IS NULL) AS findings`,
    )
    .get() as { items: number; findings: number };
  return {
    id: row.case_uuid,
    number: row.number,
    title: row.title,
    examiner: row.examiner,
    description: row.description,
    status: row.archived_utc !== null ? 'archived' : row.status,
    createdUtc: row.created_utc,
    modifiedUtc: row.modified_utc,
    itemCount: counts.items,
    openFindings: counts.findings,
  };
}

const OPEN_FINDINGS = '(SELECT count(*) FROM findings f WHERE f.item_id = e.id AND f.resolved_utc IS NULL)';
/** Bound as @model: the current extractor's sha256 (NULL when no model is installed). */
const FINGERPRINTED = 'EXISTS (SELECT 1 FROM fingerprints p WHERE p.item_id = e.id AND p.model_sha256 = @model)';

/** The latest 'attributed' custody event of the item (one per item-mode attribution; custody_by_item makes it an index seek). */
const LATEST_DECISION = `(SELECT c.details FROM custody_events c WHERE c.item_id = e.id AND c.action = 'attributed' ORDER BY c.id DESC LIMIT 1)`;

/**
 * The library's hash sets as the case sees them: each given item's matches (items without any left
 * out). The sets live outside the case, so whoever opens the library passes this in.
 */
export type HashSetLookup = (items: ReadonlyArray<{ id: number; sha256: string; md5: string }>) => ReadonlyMap<number, HashSetMatch[]>;

/** For callers with no hash sets at hand: nothing matches. */
export const NO_HASH_SETS: HashSetLookup = () => new Map();

/** The item's tags, alphabetical, as a JSON array. */
const TAGS = '(SELECT json_group_array(tag) FROM (SELECT t.tag FROM item_tags t WHERE t.item_id = e.id ORDER BY t.tag))';
const BOOKMARKED = 'EXISTS (SELECT 1 FROM bookmarks b WHERE b.item_id = e.id)';
/** Every column a summary is made of: the item's row and what other tables say of it. */
const SUMMARY_COLUMNS = `e.*, ${OPEN_FINDINGS} AS open_findings, ${FINGERPRINTED} AS fingerprinted, ${LATEST_DECISION} AS decision_details, ${TAGS} AS tags_json,
  b.comment AS bookmark_comment, b.added_utc AS bookmark_utc, b.actor AS bookmark_actor`;
const SUMMARY_FROM = 'evidence_items e LEFT JOIN bookmarks b ON b.item_id = e.id';

type SummaryRow = EvidenceRow & {
  open_findings: number;
  fingerprinted: number;
  decision_details: string | null;
  tags_json: string;
  bookmark_comment: string | null;
  bookmark_utc: string | null;
  bookmark_actor: string | null;
};

function decisionOf(details: string | null): EvidenceSummary['decision'] {
  if (details === null) return null;
  const parsed = JSON.parse(details) as { decision?: NonNullable<EvidenceSummary['decision']>['kind']; model?: string | null };
  return parsed.decision ? { kind: parsed.decision, model: parsed.model ?? null } : null;
}

const ORDER: Record<EvidenceQuery['sort'], string> = {
  item: 'e.id',
  name: 'e.original_name COLLATE NOCASE',
  received: 'e.received_utc',
  size: 'e.size_bytes',
  decision: "coalesce(json_extract(decision_details, '$.decision'), '~')",
};

/** The ids of the items a hash-set filter keeps: listed in any set, in a set of one category, or in none. */
function hashSetFilterIds(db: Db, filter: NonNullable<EvidenceQuery['hashSet']>, hashSets: HashSetLookup): number[] {
  const items = db.prepare('SELECT id, sha256, md5 FROM evidence_items').all() as Array<{ id: number; sha256: string; md5: string }>;
  const matches = hashSets(items);
  if (filter === 'none') return items.filter((i) => !matches.has(i.id)).map((i) => i.id);
  return [...matches].filter(([, m]) => filter === 'any' || m.some((x) => x.category === filter)).map(([id]) => id);
}

/** WHERE clause and parameters of a query; LIKE patterns escape % and _ typed by the examiner. */
function queryFilter(db: Db, query: Partial<EvidenceQuery> | undefined, hashSets: HashSetLookup): { where: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const search = query?.search?.trim();
  if (search) {
    params['like'] = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Only hex can start a SHA-256: anything else is not compared with the hashes at all.
    const hex = /^[0-9a-f]+$/i.test(search);
    if (hex) params['prefix'] = `${search.toLowerCase()}%`;
    clauses.push(`(e.original_name LIKE @like ESCAPE '\\' OR e.original_path LIKE @like ESCAPE '\\'${hex ? ' OR e.sha256 LIKE @prefix' : ''})`);
  }
  if (query?.format) {
    params['format'] = query.format.toLowerCase();
    clauses.push('e.format = @format');
  }
  if (query?.status) {
    params['status'] = query.status;
    clauses.push('e.status = @status');
  }
  if (query?.decision) {
    if (query.decision === 'none') clauses.push(`${LATEST_DECISION} IS NULL`);
    else {
      params['decision'] = query.decision;
      clauses.push(`json_extract(${LATEST_DECISION}, '$.decision') = @decision`);
    }
  }
  if (query?.tag) {
    params['tag'] = query.tag;
    clauses.push('EXISTS (SELECT 1 FROM item_tags t WHERE t.item_id = e.id AND t.tag = @tag)');
  }
  if (query?.bookmarked !== undefined) clauses.push(query.bookmarked ? BOOKMARKED : `NOT ${BOOKMARKED}`);
  if (query?.hashSet) {
    params['hashSetIds'] = JSON.stringify(hashSetFilterIds(db, query.hashSet, hashSets));
    clauses.push('e.id IN (SELECT value FROM json_each(@hashSetIds))');
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function toSummary(row: SummaryRow, hashSetMatches: HashSetMatch[]): EvidenceSummary {
  return {
    id: row.id,
    sha256: row.sha256,
    originalName: row.original_name,
    sizeBytes: row.size_bytes,
    format: row.format,
    width: row.width,
    height: row.height,
    status: row.status,
    reasonCode: row.reason_code,
    hasThumbnail: row.has_thumbnail === 1,
    openFindings: row.open_findings,
    fingerprinted: row.fingerprinted === 1,
    sourceFolder: path.dirname(row.original_path),
    decision: decisionOf(row.decision_details),
    tags: JSON.parse(row.tags_json) as string[],
    bookmark: row.bookmark_utc === null ? null : { itemId: row.id, comment: row.bookmark_comment ?? '', atUtc: row.bookmark_utc, actor: row.bookmark_actor ?? '' },
    hashSetMatches,
  };
}

export function countEvidence(db: Db, query?: Partial<EvidenceQuery>, hashSets: HashSetLookup = NO_HASH_SETS): number {
  const { where, params } = queryFilter(db, query, hashSets);
  return (db.prepare(`SELECT count(*) AS n FROM evidence_items e ${where}`).get(params) as { n: number }).n;
}

/** The ids of every item the query leaves, in item order. */
export function listItemIds(db: Db, query: Partial<EvidenceQuery>): number[] {
  const { where, params } = queryFilter(db, query, NO_HASH_SETS);
  return (db.prepare(`SELECT e.id FROM evidence_items e ${where} ORDER BY e.id`).all(params) as Array<{ id: number }>).map((r) => r.id);
}

export function listEvidencePage(
  db: Db,
  offset: number,
  limit: number,
  modelSha256: string | null = null,
  query?: Partial<EvidenceQuery>,
  hashSets: HashSetLookup = NO_HASH_SETS,
): EvidenceSummary[] {
  const { where, params } = queryFilter(db, query, hashSets);
  const direction = query?.descending ? 'DESC' : 'ASC';
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}
       FROM ${SUMMARY_FROM} ${where} ORDER BY ${ORDER[query?.sort ?? 'item']} ${direction}, e.id ${direction} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit, offset, model: modelSha256 }) as SummaryRow[];
  const matches = hashSets(rows);
  return rows.map((row) => toSummary(row, matches.get(row.id) ?? []));
}

/** Refuses a request naming items the case does not hold, naming them (before anything is changed). */
export function assertItemsExist(db: Db, itemIds: readonly number[]): void {
  const known = db.prepare('SELECT 1 FROM evidence_items WHERE id = ?');
  const missing = itemIds.filter((id) => !known.get(id));
  if (missing.length > 0) throw new ApiError('not_found', `no evidence item ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''} in this case`);
}

export function findEvidenceBySha(db: Db, sha256: string): EvidenceRow | undefined {
  return db.prepare('SELECT * FROM evidence_items WHERE sha256 = ?').get(sha256) as EvidenceRow | undefined;
}

export function allEvidence(db: Db): EvidenceRow[] {
  return db.prepare('SELECT * FROM evidence_items ORDER BY id').all() as EvidenceRow[];
}

/** Whether this exact file (same bytes, same source path) was already received into the case. */
export function wasReceivedFrom(db: Db, item: EvidenceRow, sourcePath: string): boolean {
  if (item.original_path === sourcePath) return true;
  const row = db
    .prepare(
      `SELECT 1 FROM custody_events WHERE item_id = ? AND action = 'duplicate_received'
         AND json_extract(details, '$.sourcePath') = ? LIMIT 1`,
    )
    .get(item.id, sourcePath);
  return row !== undefined;
}

export function insertEvidence(db: Db, item: NewEvidence): number {
  const result = db
    .prepare(
      `INSERT INTO evidence_items (sha256, md5, size_bytes, original_name, original_path, received_utc, received_by,
         format, mime, extension, extension_matches, width, height, channels, bit_depth, color_space, has_alpha, pages,
         status, reason_code, reason, has_thumbnail)
       VALUES (@sha256, @md5, @size_bytes, @original_name, @original_path, @received_utc, @received_by,
         @format, @mime, @extension, @extension_matches, @width, @height, @channels, @bit_depth, @color_space, @has_alpha,
         @pages, @status, @reason_code, @reason, @has_thumbnail)`,
    )
    .run(item);
  return Number(result.lastInsertRowid);
}

export function addCustodyEvent(
  db: Db,
  itemId: number,
  atUtc: string,
  actor: string,
  action: string,
  details: Record<string, unknown>,
): void {
  db.prepare('INSERT INTO custody_events (item_id, at_utc, actor, action, details) VALUES (?, ?, ?, ?, ?)').run(
    itemId,
    atUtc,
    actor,
    action,
    JSON.stringify(details),
  );
}

interface FindingRow {
  id: number;
  item_id: number | null;
  item_name: string | null;
  kind: Finding['kind'];
  detected_utc: string;
  resolved_utc: string | null;
  details: string;
}

function toFinding(row: FindingRow): Finding {
  return {
    id: row.id,
    itemId: row.item_id,
    itemName: row.item_name,
    kind: row.kind,
    detectedUtc: row.detected_utc,
    resolvedUtc: row.resolved_utc,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

export function listFindings(db: Db, itemId?: number): Finding[] {
  const select = 'SELECT f.*, e.original_name AS item_name FROM findings f LEFT JOIN evidence_items e ON e.id = f.item_id';
  const rows =
    itemId === undefined
      ? (db.prepare(`${select} ORDER BY f.id`).all() as FindingRow[])
      : (db.prepare(`${select} WHERE f.item_id = ? ORDER BY f.id`).all(itemId) as FindingRow[]);
  return rows.map(toFinding);
}

function readFingerprintFacts(db: Db, itemId: number, modelSha256: string | null): FingerprintFacts | null {
  const row = db
    .prepare('SELECT model_name, model_sha256, provider, crops, computed_utc FROM fingerprints WHERE item_id = ? AND model_sha256 = ?')
    .get(itemId, modelSha256) as
    | { model_name: string; model_sha256: string; provider: string; crops: number; computed_utc: string }
    | undefined;
  if (!row) return null;
  return { modelName: row.model_name, modelSha256: row.model_sha256, provider: row.provider, crops: row.crops, computedUtc: row.computed_utc };
}

export function getEvidenceDetail(db: Db, itemId: number, modelSha256: string | null = null, hashSets: HashSetLookup = NO_HASH_SETS): EvidenceDetail | undefined {
  const row = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE e.id = @id`)
    .get({ id: itemId, model: modelSha256 }) as SummaryRow | undefined;
  if (!row) return undefined;
  const custody = (
    db.prepare('SELECT * FROM custody_events WHERE item_id = ? ORDER BY id').all(itemId) as Array<{
      id: number;
      at_utc: string;
      actor: string;
      action: string;
      details: string;
    }>
  ).map(
    (c): CustodyEvent => ({
      id: c.id,
      atUtc: c.at_utc,
      actor: c.actor,
      action: c.action,
      details: JSON.parse(c.details) as Record<string, unknown>,
    }),
  );
  return {
    ...toSummary(row, hashSets([row]).get(row.id) ?? []),
    md5: row.md5,
    originalPath: row.original_path,
    receivedUtc: row.received_utc,
    receivedBy: row.received_by,
    mime: row.mime,
    extension: row.extension,
    extensionMatches: row.extension_matches === 1,
    channels: row.channels,
    bitDepth: row.bit_depth,
    colorSpace: row.color_space,
    hasAlpha: row.has_alpha === null ? null : row.has_alpha === 1,
    pages: row.pages,
    reason: row.reason,
    custody,
    findings: listFindings(db, itemId),
    fingerprint: readFingerprintFacts(db, itemId, modelSha256),
  };
}
