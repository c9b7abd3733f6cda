// Versioned schema of a case database (applied by db/open-database.ts; the gallery's is
// gallery/gallery-migrations.ts). Append new migrations; never edit a released one.
import type { Migration } from '../db/open-database.ts';
import { recordBaselineSql } from '../db/record-digests.ts';

const ARCHIVED = 'the case is archived: it is read-only (unarchive it to change it)';

/** Triggers that refuse these changes to these tables while the case is archived (migrations 7 to 10). */
function archivedGuards(tables: readonly string[], operations: readonly ('INSERT' | 'UPDATE' | 'DELETE')[]): string {
  return tables
    .flatMap((table) =>
      operations.map(
        (op) => `      CREATE TRIGGER ${table}_archived_${op.toLowerCase()} BEFORE ${op} ON ${table}
        WHEN (SELECT archived_utc FROM case_info WHERE id = 1) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '${ARCHIVED}'); END;`,
      ),
    )
    .join('\n');
}

export const caseMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'cases, evidence, custody, findings, hash-chained audit log',
    sql: `
      CREATE TABLE case_info (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        case_uuid TEXT NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        examiner TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        created_utc TEXT NOT NULL,
        modified_utc TEXT NOT NULL,
        -- The audit chain's last entry, kept apart from the log so that cutting off its tail shows.
        audit_head_seq INTEGER NOT NULL DEFAULT 0,
        audit_head_hash TEXT
      );

      CREATE TABLE evidence_items (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        md5 TEXT NOT NULL CHECK (length(md5) = 32),
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        original_name TEXT NOT NULL,
        original_path TEXT NOT NULL,
        received_utc TEXT NOT NULL,
        received_by TEXT NOT NULL,
        format TEXT,
        mime TEXT,
        extension TEXT NOT NULL,
        extension_matches INTEGER NOT NULL CHECK (extension_matches IN (0, 1)),
        width INTEGER,
        height INTEGER,
        channels INTEGER,
        bit_depth INTEGER,
        color_space TEXT,
        has_alpha INTEGER,
        pages INTEGER,
        status TEXT NOT NULL CHECK (status IN ('analysable', 'not_analysable')),
        reason_code TEXT,
        reason TEXT,
        has_thumbnail INTEGER NOT NULL DEFAULT 0,
        CHECK ((status = 'analysable') = (reason_code IS NULL))
      );

      CREATE TABLE custody_events (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE RESTRICT,
        at_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX custody_by_item ON custody_events(item_id, id);

      CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        item_id INTEGER REFERENCES evidence_items(id) ON DELETE RESTRICT,
        kind TEXT NOT NULL CHECK (kind IN ('hash_mismatch', 'missing_file')),
        detected_utc TEXT NOT NULL,
        resolved_utc TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX findings_open ON findings(item_id) WHERE resolved_utc IS NULL;

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL
      );
      -- Append-only inside the application; the hash chain catches edits made around it.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      -- Evidence rows are facts of receipt: they are never deleted.
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence_items
        BEGIN SELECT RAISE(ABORT, 'evidence items cannot be deleted'); END;
      CREATE TRIGGER custody_no_change BEFORE UPDATE ON custody_events
        BEGIN SELECT RAISE(ABORT, 'custody events cannot be changed'); END;
      CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody_events
        BEGIN SELECT RAISE(ABORT, 'custody events cannot be deleted'); END;
    `,
  },
  {
    version: 2,
    description: 'provenance report per evidence item',
    sql: `
      -- The latest provenance analysis of each item; every analysis is also a custody event and an
      -- audit entry carrying the report's hash, so a replaced report stays traceable.
      CREATE TABLE provenance (
        item_id INTEGER PRIMARY KEY REFERENCES evidence_items(id) ON DELETE RESTRICT,
        analysed_utc TEXT NOT NULL,
        tool_versions TEXT NOT NULL,
        report TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'spectral fingerprints per evidence item and extractor model',
    sql: `
      -- One fingerprint per item and extractor: a new model (new sha256) computes its own, and old
      -- ones stay for the record. The embedding is the mean of the crop embeddings, float32 LE.
      CREATE TABLE fingerprints (
        item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE RESTRICT,
        model_sha256 TEXT NOT NULL CHECK (length(model_sha256) = 64),
        model_name TEXT NOT NULL,
        embedding BLOB NOT NULL,
        crops INTEGER NOT NULL CHECK (crops > 0),
        provider TEXT NOT NULL,
        computed_utc TEXT NOT NULL,
        PRIMARY KEY (item_id, model_sha256)
      );
    `,
  },
  {
    version: 4,
    description: 'evidence reports (PDF and JSON bundle) with their hashes',
    sql: `
      -- Each report written into the case folder (paths relative to it), with the hashes of both
      -- files and the audit head it was made at. Reports are records: never changed or deleted.
      CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        created_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        pdf_path TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
        pdf_bytes INTEGER NOT NULL,
        json_path TEXT NOT NULL,
        json_sha256 TEXT NOT NULL CHECK (length(json_sha256) = 64),
        json_bytes INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        options TEXT NOT NULL,
        findings_digest TEXT NOT NULL,
        audit_head_seq INTEGER NOT NULL,
        audit_head_hash TEXT,
        integrity_problems TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
        BEGIN SELECT RAISE(ABORT, 'reports cannot be changed'); END;
      CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
        BEGIN SELECT RAISE(ABORT, 'reports cannot be deleted'); END;
    `,
  },
  {
    version: 5,
    description: 'attribution results against the gallery, with calibrated likelihood ratios',
    sql: `
      -- One row per attribution run: the result as JSON, and the hashes that pin what it was
      -- computed with (extractor, calibration file, gallery snapshot) and of the result itself.
      -- Results are records: never changed or deleted; a new run adds a new row.
      CREATE TABLE attributions (
        id TEXT PRIMARY KEY,
        created_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('items', 'set')),
        item_ids TEXT NOT NULL,
        extractor_sha256 TEXT NOT NULL CHECK (length(extractor_sha256) = 64),
        set_encoder_sha256 TEXT CHECK (set_encoder_sha256 IS NULL OR length(set_encoder_sha256) = 64),
        calibration_id TEXT NOT NULL CHECK (length(calibration_id) = 64),
        gallery_sha256 TEXT NOT NULL CHECK (length(gallery_sha256) = 64),
        result TEXT NOT NULL,
        result_sha256 TEXT NOT NULL CHECK (length(result_sha256) = 64)
      );
      CREATE INDEX attributions_by_time ON attributions(created_utc);
      CREATE TRIGGER attributions_no_update BEFORE UPDATE ON attributions
        BEGIN SELECT RAISE(ABORT, 'attribution results cannot be changed'); END;
      CREATE TRIGGER attributions_no_delete BEFORE DELETE ON attributions
        BEGIN SELECT RAISE(ABORT, 'attribution results cannot be deleted'); END;
    `,
  },
  {
    version: 6,
    description: 'C_T curves of sets of evidence items',
    sql: `
      -- One row per computed curve (docs/methods.md §2): the items it is made of, the layered encoder
      -- and reference set it was measured with, and the curve (CurveRecord JSON) with its hash.
      -- Curves are records: never changed or deleted; a new computation adds a new row.
      CREATE TABLE curves (
        id TEXT PRIMARY KEY,
        created_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        item_ids TEXT NOT NULL,
        encoder_name TEXT NOT NULL,
        encoder_sha256 TEXT NOT NULL CHECK (length(encoder_sha256) = 64),
        reference_sha256 TEXT NOT NULL CHECK (length(reference_sha256) = 64),
        record TEXT NOT NULL,
        record_sha256 TEXT NOT NULL CHECK (length(record_sha256) = 64)
      );
      CREATE INDEX curves_by_key ON curves(encoder_sha256, reference_sha256, created_utc);
      CREATE TRIGGER curves_no_update BEFORE UPDATE ON curves
        BEGIN SELECT RAISE(ABORT, 'curves cannot be changed'); END;
      CREATE TRIGGER curves_no_delete BEFORE DELETE ON curves
        BEGIN SELECT RAISE(ABORT, 'curves cannot be deleted'); END;
    `,
  },
  {
    version: 7,
    description: 'case life cycle: closed cases take no new evidence, archived cases are read-only',
    sql: `
      -- Enforced by the database itself, so no code path (nor a job started before the change)
      -- can write to an archived case: every table refuses every change while archived_utc is set,
      -- and case_info only lets archived_utc be cleared (unarchiving, recorded in the audit log).
      ALTER TABLE case_info ADD COLUMN archived_utc TEXT;
      CREATE TRIGGER case_info_archived BEFORE UPDATE ON case_info
        WHEN OLD.archived_utc IS NOT NULL AND NEW.archived_utc IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '${ARCHIVED}'); END;
      CREATE TRIGGER evidence_items_closed BEFORE INSERT ON evidence_items
        WHEN (SELECT status FROM case_info WHERE id = 1) = 'closed'
        BEGIN SELECT RAISE(ABORT, 'the case is closed: it takes no new evidence (reopen it first)'); END;
${archivedGuards(['evidence_items', 'custody_events', 'findings', 'audit_log', 'provenance', 'fingerprints', 'reports', 'attributions', 'curves'], ['INSERT', 'UPDATE', 'DELETE'])}
    `,
  },
  {
    version: 8,
    description: "the examiner's notes on items and on the case",
    sql: `
      -- A note is a record of the examination: never changed or deleted (a correction is a new note),
      -- each one an audit entry; item_id NULL is a note on the case.
      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        item_id INTEGER REFERENCES evidence_items(id),
        at_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        text TEXT NOT NULL CHECK (length(text) > 0)
      );
      CREATE INDEX notes_by_item ON notes(item_id, id);
      CREATE TRIGGER notes_no_update BEFORE UPDATE ON notes
        BEGIN SELECT RAISE(ABORT, 'notes cannot be changed: add a new note'); END;
      CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
        BEGIN SELECT RAISE(ABORT, 'notes cannot be deleted: add a new note'); END;
${archivedGuards(['notes'], ['INSERT'])}
    `,
  },
  {
    version: 9,
    description: 'record digests: audit entries carry the content hash of each record they wrote',
    sql: `
      -- The digests of the records an entry's change wrote (audit/case-records.ts), covered by the
      -- entry's hash. The baseline names the records made before this version: not covered.
      ALTER TABLE audit_log ADD COLUMN records TEXT;
${recordBaselineSql([
  ['evidence', 'evidence_items'],
  ['custody', 'custody_events'],
  ['finding', 'findings'],
  ['note', 'notes'],
  ['fingerprint', 'fingerprints'],
  ['provenance', 'provenance'],
  ['attribution', 'attributions'],
  ['curve', 'curves'],
  ['report', 'reports'],
])}
      -- A record that no longer matches the chain (or a gallery entry its history) is a finding.
      -- SQLite cannot change a CHECK in place: the table is rebuilt, ids kept.
      CREATE TABLE findings_rebuilt (
        id INTEGER PRIMARY KEY,
        item_id INTEGER REFERENCES evidence_items(id) ON DELETE RESTRICT,
        kind TEXT NOT NULL CHECK (kind IN ('hash_mismatch', 'missing_file', 'record_mismatch')),
        detected_utc TEXT NOT NULL,
        resolved_utc TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      INSERT INTO findings_rebuilt (id, item_id, kind, detected_utc, resolved_utc, details)
        SELECT id, item_id, kind, detected_utc, resolved_utc, details FROM findings;
      DROP TABLE findings;
      ALTER TABLE findings_rebuilt RENAME TO findings;
      CREATE INDEX findings_open ON findings(item_id) WHERE resolved_utc IS NULL;
${archivedGuards(['findings'], ['INSERT', 'UPDATE', 'DELETE'])}
    `,
  },
  {
    version: 10,
    description: "the examiner's tags and bookmarks on items, and the case's conclusions, declaration, signature block and peer review",
    sql: `
      -- Markings the examiner adds and takes back: the rows hold the current state, the audit log
      -- and each item's custody hold every addition and removal. A tag is unique per item whatever its case.
      CREATE TABLE item_tags (
        item_id INTEGER NOT NULL REFERENCES evidence_items(id),
        tag TEXT NOT NULL COLLATE NOCASE CHECK (length(tag) > 0),
        added_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        PRIMARY KEY (item_id, tag)
      );
      CREATE INDEX item_tags_by_tag ON item_tags(tag);
      CREATE TABLE bookmarks (
        item_id INTEGER PRIMARY KEY REFERENCES evidence_items(id),
        comment TEXT NOT NULL DEFAULT '',
        added_utc TEXT NOT NULL,
        actor TEXT NOT NULL
      );
      -- What the examiner states in the report: at most one row (made by the first change), every change an audit entry with the old and new values.
      CREATE TABLE examiner_statement (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        conclusions TEXT NOT NULL DEFAULT '',
        declaration TEXT NOT NULL DEFAULT '',
        declaration_confirmed_utc TEXT,
        signer_name TEXT NOT NULL DEFAULT '',
        signer_role TEXT NOT NULL DEFAULT '',
        signer_organisation TEXT NOT NULL DEFAULT '',
        signature_date TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL DEFAULT '',
        review_date TEXT NOT NULL DEFAULT '',
        review_outcome TEXT CHECK (review_outcome IN ('agreed', 'agreed-with-comments', 'disagreed')),
        review_comments TEXT NOT NULL DEFAULT '',
        -- NULL until the examiner first writes any of it.
        modified_utc TEXT
      );
      -- Covered by record digests from the start (no row predates them; the statement's row is made by its first change).
      INSERT INTO record_digest_baseline VALUES ('tag', 0, 0), ('bookmark', 0, 0), ('statement', 0, 0);
${archivedGuards(['item_tags', 'bookmarks', 'examiner_statement'], ['INSERT', 'UPDATE', 'DELETE'])}
    `,
  },
];
