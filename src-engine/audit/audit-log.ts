// The append-only audit log of a case: every entry carries the hash of the one before it, and
// the case row keeps the head, so an edited, removed, inserted or truncated entry is detectable.
// Each entry also carries the digests of the records its change wrote (case-records.ts), so the
// chain covers the records too.
import type { AuditEntry, AuditVerification } from '../api/contract.ts';
import { CaseIntegrityError } from '../base/case-integrity.ts';
import { chainEntryHash, sha256Text, verifyChain, type ChainRow } from '../db/hash-chain.ts';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';
import { takeRecordWrites } from '../db/record-digests.ts';
import { CASE_RECORDS, verifyCaseRecords } from './case-records.ts';
import { recordCoverage } from '../db/record-digests.ts';

type AuditRow = ChainRow;

export function genesisHash(caseUuid: string): string {
  return sha256Text(`modelprint-audit-genesis:${caseUuid}`);
}

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendAudit(db: Db, actor: string, action: string, details: Record<string, unknown> = {}): AuditEntry {
  const head = db.prepare('SELECT case_uuid, audit_head_seq, audit_head_hash FROM case_info WHERE id = 1').get() as
    | { case_uuid: string; audit_head_seq: number; audit_head_hash: string | null }
    | undefined;
  if (!head) throw new Error('case database has no case row');
  // Rows past the recorded head were put there outside the application: writing on would collide
  // with them (or chain onto forged entries). Refused as an integrity failure, for audit verify.
  const beyond = db.prepare('SELECT seq FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1').get(head.audit_head_seq) as { seq: number } | undefined;
  if (beyond) {
    throw new CaseIntegrityError(
      `the audit log holds entry ${beyond.seq} beyond the head recorded for this case (entry ${head.audit_head_seq}): entries were added outside the application. ` +
        'Nothing more is written to this case; `modelprint audit verify` lists the problem.',
    );
  }
  const records = takeRecordWrites(db, CASE_RECORDS);
  const row = {
    seq: head.audit_head_seq + 1,
    at_utc: utcNow(),
    actor,
    action,
    details: JSON.stringify(details),
    records: records.length > 0 ? JSON.stringify(records) : null,
    prev_hash: head.audit_head_hash ?? genesisHash(head.case_uuid),
  };
  const hash = chainEntryHash(row);
  db.prepare(
    `INSERT INTO audit_log (seq, at_utc, actor, action, details, records, prev_hash, entry_hash)
     VALUES (@seq, @at_utc, @actor, @action, @details, @records, @prev_hash, @entry_hash)`,
  ).run({ ...row, entry_hash: hash });
  db.prepare('UPDATE case_info SET audit_head_seq = ?, audit_head_hash = ?, modified_utc = ? WHERE id = 1').run(
    row.seq,
    hash,
    row.at_utc,
  );
  return toEntry({ ...row, entry_hash: hash });
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    atUtc: row.at_utc,
    actor: row.actor,
    action: row.action,
    details: JSON.parse(row.details) as Record<string, unknown>,
    records: recordCount(row.records),
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}

function recordCount(records: string | null | undefined): number {
  if (records == null) return 0;
  try {
    const parsed: unknown = JSON.parse(records);
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}

export function listAudit(db: Db, offset: number, limit: number): AuditEntry[] {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq LIMIT ? OFFSET ?').all(limit, offset) as AuditRow[];
  return rows.map(toEntry);
}

export function verifyAuditChain(db: Db): AuditVerification {
  const info = db.prepare('SELECT case_uuid, audit_head_seq, audit_head_hash FROM case_info WHERE id = 1').get() as {
    case_uuid: string;
    audit_head_seq: number;
    audit_head_hash: string | null;
  };
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  const check = verifyChain(rows, genesisHash(info.case_uuid), { seq: info.audit_head_seq, hash: info.audit_head_hash }, 'the case');
  const records = recordCoverage(verifyCaseRecords(db));
  return { ...check, ok: check.problems.length + records.problems.length === 0, records, checkedUtc: utcNow() };
}
