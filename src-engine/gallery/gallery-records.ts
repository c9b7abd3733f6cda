// The records of the gallery that its history covers (db/record-digests.ts): models, their
// reference images, fingerprints and C_T curves. A fingerprint is checked against the history
// before attribution uses it, so an entry edited, or two swapped, around the application is refused.
import type { Db } from '../db/open-database.ts';
import { recordDigest, recordedDigestOf, recordedDigests, verifyRecords, type RecordCheck, type RecordKind, type RecordProblem } from '../db/record-digests.ts';

const short = (sha: unknown) => String(sha).slice(0, 16);

const GALLERY_FINGERPRINT: RecordKind = {
  kind: 'fingerprint',
  table: 'fingerprints',
  key: ['model_id', 'extractor_sha256'],
  columns: ['model_id', 'extractor_sha256', 'embedding', 'image_count', 'computed_utc'],
  describe: ([model, extractor]) => `the gallery fingerprint of model ${model} (extractor ${short(extractor)})`,
};

export const GALLERY_RECORDS: readonly RecordKind[] = [
  {
    kind: 'model',
    table: 'models',
    key: ['id'],
    columns: ['id', 'name', 'family', 'version', 'source', 'notes', 'parent_id', 'created_utc'],
    describe: ([id]) => `gallery model ${id}`,
  },
  {
    kind: 'reference_image',
    table: 'reference_images',
    key: ['id'],
    columns: ['id', 'model_id', 'sha256', 'original_name', 'enrolled_utc'],
    describe: ([id]) => `gallery reference image ${id}`,
  },
  GALLERY_FINGERPRINT,
  {
    kind: 'curve',
    table: 'curves',
    key: ['model_id', 'encoder_sha256', 'reference_sha256'],
    columns: ['model_id', 'encoder_sha256', 'reference_sha256', 'image_count', 'curve_values', 'computed_utc'],
    describe: ([model, encoder]) => `the gallery C_T curve of model ${model} (encoder ${short(encoder)})`,
  },
];

function galleryRecordedDigests(db: Db): ReturnType<typeof recordedDigests> {
  return recordedDigests(db.prepare('SELECT seq, records FROM history WHERE records IS NOT NULL ORDER BY seq').iterate() as IterableIterator<{ seq: number; records: string }>);
}

/** Every record of the gallery re-derived and compared with the digests in its history. */
export function verifyGalleryRecords(db: Db): RecordCheck {
  return verifyRecords(db, GALLERY_RECORDS, galleryRecordedDigests(db));
}

/**
 * The extractor's gallery fingerprints that do not match the digest the history recorded for them
 * (or that it never recorded); empty when all match. Fingerprints from before record digests pass.
 */
export function galleryFingerprintProblems(db: Db, extractorSha256: string): RecordProblem[] {
  const recorded = galleryRecordedDigests(db);
  const baseline = db.prepare("SELECT last_rowid FROM record_digest_baseline WHERE kind = 'fingerprint'").get() as { last_rowid: number } | undefined;
  const rows = db
    .prepare(`SELECT f.rowid AS record_rowid, m.name, ${GALLERY_FINGERPRINT.columns.map((c) => `f.${c}`).join(', ')} FROM fingerprints f JOIN models m ON m.id = f.model_id WHERE f.extractor_sha256 = ?`)
    .all(extractorSha256) as Array<Record<string, unknown>>;
  const problems: RecordProblem[] = [];
  for (const row of rows) {
    const key = [row['model_id'], row['extractor_sha256']];
    const chain = recordedDigestOf(recorded, GALLERY_FINGERPRINT, row);
    const named = `the gallery fingerprint of ${String(row['name'])}`;
    if (chain === undefined || chain.sha256 === null) {
      if (chain === undefined && (row['record_rowid'] as number) <= (baseline?.last_rowid ?? 0)) continue;
      problems.push({ seq: chain?.seq ?? 0, problem: 'record_unrecorded', kind: 'gallery_fingerprint', key, message: `${named} was never recorded in the gallery history: it was inserted outside the application` });
    } else if (chain.sha256 !== recordDigest(GALLERY_FINGERPRINT, row)) {
      problems.push({ seq: chain.seq, problem: 'record_changed', kind: 'gallery_fingerprint', key, message: `${named} no longer matches the digest recorded at history entry ${chain.seq}: it was changed outside the application` });
    }
  }
  return problems;
}
