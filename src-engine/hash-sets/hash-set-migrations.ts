// Versioned schema of the library's hash-set database (<library home>/hash-sets.sqlite), shared by
// every case like the gallery. Append new migrations; never edit a released one.
import type { Migration } from '../db/open-database.ts';

export const hashSetMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'imported hash sets, their hashes, and a hash-chained history of imports and removals',
    sql: `
      CREATE TABLE hash_sets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
        category TEXT NOT NULL CHECK (category IN ('known-generated', 'known-camera-original', 'known-good', 'other')),
        format TEXT NOT NULL CHECK (format IN ('plain', 'nsrl-rds')),
        source_name TEXT NOT NULL,
        source_sha256 TEXT NOT NULL CHECK (length(source_sha256) = 64),
        imported_utc TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        bad_line_count INTEGER NOT NULL CHECK (bad_line_count >= 0)
      );

      -- Lowercase hex; the length tells the algorithm (64 SHA-256, 32 MD5). Keyed by hash first, as
      -- matching looks hashes up.
      CREATE TABLE hashes (
        hex TEXT NOT NULL CHECK (length(hex) IN (32, 64)),
        set_id INTEGER NOT NULL REFERENCES hash_sets(id) ON DELETE CASCADE,
        PRIMARY KEY (hex, set_id)
      ) WITHOUT ROWID;
      CREATE INDEX hashes_by_set ON hashes (set_id);

      CREATE TABLE hash_set_info (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        history_head_seq INTEGER NOT NULL DEFAULT 0,
        history_head_hash TEXT
      );
      INSERT INTO hash_set_info (id) VALUES (1);

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
        BEGIN SELECT RAISE(ABORT, 'the hash-set history is append-only'); END;
      CREATE TRIGGER history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'the hash-set history is append-only'); END;
    `,
  },
];
