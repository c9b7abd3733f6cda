// The records of a case that its audit chain covers (db/record-digests.ts): each kind, the columns
// its digest covers and how a message names one. Records are checked against the chain here.
import type { Db } from '../db/open-database.ts';
import { recordedDigests, verifyRecords, type RecordCheck, type RecordKind } from '../db/record-digests.ts';

const short = (sha: unknown) => String(sha).slice(0, 16);

export const CASE_RECORDS: readonly RecordKind[] = [
  {
    kind: 'evidence',
    table: 'evidence_items',
    key: ['id'],
    columns: [
      'id', 'sha256', 'md5', 'size_bytes', 'original_name', 'original_path', 'received_utc', 'received_by', 'format', 'mime', 'extension',
      'extension_matches', 'width', 'height', 'channels', 'bit_depth', 'color_space', 'has_alpha', 'pages', 'status', 'reason_code', 'reason', 'has_thumbnail',
    ],
    describe: ([id]) => `evidence item ${id}`,
  },
  { kind: 'custody', table: 'custody_events', key: ['id'], columns: ['id', 'item_id', 'at_utc', 'actor', 'action', 'details'], describe: ([id]) => `custody event ${id}` },
  { kind: 'finding', table: 'findings', key: ['id'], columns: ['id', 'item_id', 'kind', 'detected_utc', 'resolved_utc', 'details'], describe: ([id]) => `finding ${id}` },
  { kind: 'tag', table: 'item_tags', key: ['item_id', 'tag'], columns: ['item_id', 'tag', 'added_utc', 'actor'], describe: ([item, tag]) => `the tag "${String(tag)}" on item ${item}` },
  { kind: 'bookmark', table: 'bookmarks', key: ['item_id'], columns: ['item_id', 'comment', 'added_utc', 'actor'], describe: ([item]) => `the bookmark on item ${item}` },
  {
    kind: 'statement',
    table: 'examiner_statement',
    key: ['id'],
    columns: [
      'id', 'conclusions', 'declaration', 'declaration_confirmed_utc', 'signer_name', 'signer_role', 'signer_organisation', 'signature_date', 'reviewer', 'review_date',
      'review_outcome', 'review_comments', 'modified_utc',
    ],
    describe: () => "the examiner's conclusions, declaration and peer review",
  },
  { kind: 'note', table: 'notes', key: ['id'], columns: ['id', 'item_id', 'at_utc', 'actor', 'text'], describe: ([id]) => `note ${id}` },
  {
    kind: 'fingerprint',
    table: 'fingerprints',
    key: ['item_id', 'model_sha256'],
    columns: ['item_id', 'model_sha256', 'model_name', 'embedding', 'crops', 'provider', 'computed_utc'],
    describe: ([item, model]) => `the fingerprint of item ${item} (extractor ${short(model)})`,
  },
  { kind: 'provenance', table: 'provenance', key: ['item_id'], columns: ['item_id', 'analysed_utc', 'tool_versions', 'report'], describe: ([item]) => `the provenance analysis of item ${item}` },
  {
    kind: 'attribution',
    table: 'attributions',
    key: ['id'],
    columns: ['id', 'created_utc', 'actor', 'mode', 'item_ids', 'extractor_sha256', 'set_encoder_sha256', 'calibration_id', 'gallery_sha256', 'result', 'result_sha256'],
    describe: ([id]) => `attribution result ${id}`,
  },
  {
    kind: 'curve',
    table: 'curves',
    key: ['id'],
    columns: ['id', 'created_utc', 'actor', 'item_ids', 'encoder_name', 'encoder_sha256', 'reference_sha256', 'record', 'record_sha256'],
    describe: ([id]) => `C_T curve ${id}`,
  },
  {
    kind: 'report',
    table: 'reports',
    key: ['id'],
    columns: [
      'id', 'created_utc', 'actor', 'pdf_path', 'pdf_sha256', 'pdf_bytes', 'json_path', 'json_sha256', 'json_bytes', 'pages', 'options', 'findings_digest',
      'audit_head_seq', 'audit_head_hash', 'integrity_problems',
    ],
    describe: ([id]) => `report ${id}`,
  },
];

export function caseRecordKind(kind: string): RecordKind | undefined {
  return CASE_RECORDS.find((k) => k.kind === kind);
}

/** The latest digest the case's audit chain holds for each record. */
export function caseRecordedDigests(db: Db): ReturnType<typeof recordedDigests> {
  return recordedDigests(db.prepare('SELECT seq, records FROM audit_log WHERE records IS NOT NULL ORDER BY seq').iterate() as IterableIterator<{ seq: number; records: string }>);
}

export type { RecordCheck, RecordProblem } from '../db/record-digests.ts';

/** Every record of the case re-derived and compared with the digests in its audit chain. */
export function verifyCaseRecords(db: Db): RecordCheck {
  return verifyRecords(db, CASE_RECORDS, caseRecordedDigests(db));
}
