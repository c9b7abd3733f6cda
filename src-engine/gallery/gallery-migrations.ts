// Versioned schema of the gallery database (<library home>/gallery.sqlite), kept apart from the
// case schema: the gallery is shared by every case. Append new migrations; never edit a released one.
import type { Migration } from '../db/open-database.ts';
import { recordBaselineSql } from '../db/record-digests.ts';

export const galleryMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'known models, their reference images and embeddings, fingerprints per extractor, hash-chained history',
    sql: `
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
        family TEXT NOT NULL DEFAULT '',
        version TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        -- Lineage (a fine-tune names its base model); a parent cannot be removed while it has children.
        parent_id INTEGER REFERENCES models(id) ON DELETE RESTRICT,
        created_utc TEXT NOT NULL
      );

      -- The files are not kept, only their hashes: re-enrolling with another extractor needs them again.
      CREATE TABLE reference_images (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        original_name TEXT NOT NULL,
        enrolled_utc TEXT NOT NULL,
        UNIQUE (model_id, sha256)
      );

      -- Per-image embeddings, so a fingerprint can be re-averaged when images are added (and for
      -- calibration later). float32 little-endian, L2-normalised, as in case fingerprints.
      CREATE TABLE reference_embeddings (
        image_id INTEGER NOT NULL REFERENCES reference_images(id) ON DELETE CASCADE,
        extractor_sha256 TEXT NOT NULL CHECK (length(extractor_sha256) = 64),
        embedding BLOB NOT NULL,
        computed_utc TEXT NOT NULL,
        PRIMARY KEY (image_id, extractor_sha256)
      );

      -- A model's gallery entry for one extractor: the L2-normalised mean of its image embeddings.
      CREATE TABLE fingerprints (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        extractor_sha256 TEXT NOT NULL CHECK (length(extractor_sha256) = 64),
        embedding BLOB NOT NULL,
        image_count INTEGER NOT NULL CHECK (image_count > 0),
        computed_utc TEXT NOT NULL,
        PRIMARY KEY (model_id, extractor_sha256)
      );

      CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        at_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL
      );
      CREATE TRIGGER history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'the gallery history is append-only'); END;
      CREATE TRIGGER history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'the gallery history is append-only'); END;
    `,
  },
  {
    version: 2,
    description: "the history's head kept apart from the history, so a cut-off tail shows",
    sql: `
      -- As a case keeps its audit head in its case row. A gallery made before this version takes
      -- its head from the history as it stands at the upgrade.
      CREATE TABLE gallery_info (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        history_head_seq INTEGER NOT NULL DEFAULT 0,
        history_head_hash TEXT
      );
      INSERT INTO gallery_info (id, history_head_seq, history_head_hash)
        SELECT 1, coalesce(max(seq), 0), (SELECT entry_hash FROM history ORDER BY seq DESC LIMIT 1) FROM history;
    `,
  },
  {
    version: 3,
    description: 'C_T curves of known models, per layered encoder and reference set',
    sql: `
      -- A model's C_T curve (docs/methods.md §2) for one layered encoder and one reference set: C_T per
      -- layer as a JSON array (null where undefined), from the images of one enrolment (the files
      -- themselves are not kept, so a curve cannot be recomputed from the gallery alone).
      CREATE TABLE curves (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        encoder_sha256 TEXT NOT NULL CHECK (length(encoder_sha256) = 64),
        reference_sha256 TEXT NOT NULL CHECK (length(reference_sha256) = 64),
        image_count INTEGER NOT NULL CHECK (image_count > 0),
        curve_values TEXT NOT NULL,
        computed_utc TEXT NOT NULL,
        PRIMARY KEY (model_id, encoder_sha256, reference_sha256)
      );
    `,
  },
  {
    version: 4,
    description: 'record digests: history entries carry the content hash of each record they wrote',
    sql: `
      -- As in a case's audit log (gallery/gallery-records.ts); the baseline names the records made
      -- before this version: not covered.
      ALTER TABLE history ADD COLUMN records TEXT;
${recordBaselineSql([
  ['model', 'models'],
  ['reference_image', 'reference_images'],
  ['fingerprint', 'fingerprints'],
  ['curve', 'curves'],
])}
    `,
  },
];
