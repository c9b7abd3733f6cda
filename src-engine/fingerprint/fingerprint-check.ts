// A stored fingerprint is checked before it is used: the whole row must match the record digest
// the audit chain holds for it (audit/case-records.ts) or, for fingerprints saved before record
// digests, its BLOB must hash to what was recorded when it was saved: in the audit log
// (evidence.fingerprinted, the entry saved with it) or, earlier still, in the item's custody event.
// A row changed behind the application's back, or one that was never recorded, is refused.
import { appendAudit } from '../audit/audit-log.ts';
import { caseRecordedDigests, caseRecordKind, type RecordProblem } from '../audit/case-records.ts';
import { addCustodyEvent } from '../cases/case-database.ts';
import { CaseIntegrityError } from '../cases/case-paths.ts';
import type { Db } from '../db/open-database.ts';
import { recordDigest, recordedDigestOf } from '../db/record-digests.ts';
import { embeddingSha256, saveFingerprint, type StoredFingerprint } from './fingerprint-store.ts';

const FINGERPRINT = caseRecordKind('fingerprint')!;

/**
 * Saves a fingerprint with its custody event and its audit entry, both carrying the embedding's
 * hash; call inside a transaction. A run killed part-way has audited every fingerprint it saved.
 */
export function saveRecordedFingerprint(db: Db, fingerprint: StoredFingerprint, actor: string): string {
  const saved = embeddingSha256(fingerprint.embedding);
  saveFingerprint(db, fingerprint);
  addCustodyEvent(db, fingerprint.itemId, fingerprint.computedUtc, actor, 'fingerprinted', {
    model: fingerprint.modelName,
    modelSha256: fingerprint.modelSha256,
    provider: fingerprint.provider,
    crops: fingerprint.crops,
    embeddingSha256: saved,
  });
  appendAudit(db, actor, 'evidence.fingerprinted', { itemId: fingerprint.itemId, modelSha256: fingerprint.modelSha256, embeddingSha256: saved });
  return saved;
}

/** The embedding hash recorded when the item's fingerprint for this model was saved, or null. */
export function recordedEmbeddingSha256(db: Db, itemId: number, modelSha256: string): string | null {
  const audited = db
    .prepare(
      `SELECT json_extract(details, '$.embeddingSha256') AS sha FROM audit_log
       WHERE action = 'evidence.fingerprinted' AND json_extract(details, '$.itemId') = ? AND json_extract(details, '$.modelSha256') = ?
       ORDER BY seq DESC LIMIT 1`,
    )
    .get(itemId, modelSha256) as { sha: string | null } | undefined;
  if (audited?.sha) return audited.sha;
  const custody = db
    .prepare(
      `SELECT json_extract(details, '$.embeddingSha256') AS sha FROM custody_events
       WHERE action = 'fingerprinted' AND item_id = ? AND json_extract(details, '$.modelSha256') = ?
       ORDER BY id DESC LIMIT 1`,
    )
    .get(itemId, modelSha256) as { sha: string | null } | undefined;
  return custody?.sha ?? null;
}

/**
 * A check of fingerprints against what was recorded when they were saved: null when intact, the
 * problem otherwise. Reads the chain's digests once, for checking many fingerprints.
 */
export function fingerprintChecker(db: Db): (fingerprint: StoredFingerprint) => RecordProblem | null {
  const recorded = caseRecordedDigests(db);
  const select = db.prepare(`SELECT ${FINGERPRINT.columns.join(', ')} FROM fingerprints WHERE item_id = ? AND model_sha256 = ?`);
  return (fingerprint) => {
    const key = [fingerprint.itemId, fingerprint.modelSha256];
    const row = select.get(key) as Record<string, unknown> | undefined;
    const chain = row && recordedDigestOf(recorded, FINGERPRINT, row);
    const problem = (kind: RecordProblem['problem'], seq: number, message: string): RecordProblem => ({ seq, problem: kind, kind: 'fingerprint', key, message: `${message}: the case database has been altered` });
    if (row && chain && chain.sha256 !== null) {
      if (chain.sha256 === recordDigest(FINGERPRINT, row)) return null;
      return problem('record_changed', chain.seq, `the fingerprint of item ${fingerprint.itemId} no longer matches the hash recorded when it was saved (audit entry ${chain.seq})`);
    }
    const saved = recordedEmbeddingSha256(db, fingerprint.itemId, fingerprint.modelSha256);
    const actual = embeddingSha256(fingerprint.embedding);
    if (saved === null) return problem('record_unrecorded', 0, `the fingerprint of item ${fingerprint.itemId} was never recorded when saved`);
    if (saved !== actual) return problem('record_changed', 0, `the fingerprint of item ${fingerprint.itemId} no longer matches the hash recorded when it was saved (${saved}, now ${actual})`);
    return null;
  };
}

export function assertFingerprintIntact(db: Db, fingerprint: StoredFingerprint): StoredFingerprint {
  const problem = fingerprintChecker(db)(fingerprint);
  if (problem) throw new CaseIntegrityError(problem.message);
  return fingerprint;
}
