import Database from 'better-sqlite3';
import { utcNow } from '../base/time.ts';

export type Db = Database.Database;

/** One step of a database's versioned schema. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Opens (or creates) a SQLite file in WAL mode with foreign keys on, and brings its schema up to date. */
export function openDatabase(file: string, migrations: readonly Migration[]): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_utc TEXT NOT NULL)`);
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this software (${latest}): upgrade Modelprint`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, description, applied_utc) VALUES (?, ?, ?)').run(
        m.version,
        m.description,
        utcNow(),
      );
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
