// verify checks the case's records as well as its files: each record re-derived from its table and
// compared with the digest the audit chain holds for it (audit/case-records.ts). Each changed,
// deleted or inserted record is a finding, resolved once a later check finds it intact.
import { CASE_RECORDS, verifyCaseRecords, type RecordCheck } from '../audit/case-records.ts';
import type { CaseHandle } from '../cases/library.ts';
import { recordMismatchFindings, resolveRecordFindings } from '../cases/record-findings.ts';

const CASE_KINDS = new Set(CASE_RECORDS.map((k) => k.kind));

export function verifyRecordsOfCase(handle: CaseHandle, actor: string): RecordCheck {
  const check = verifyCaseRecords(handle.db);
  handle.db.transaction(() => {
    recordMismatchFindings(handle.db, actor, check.problems, 'verify');
    resolveRecordFindings(handle.db, actor, check.problems, CASE_KINDS);
  })();
  return check;
}
