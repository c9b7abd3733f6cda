// Record digests: every record a database keeps (a case's evidence rows, custody events, findings,
// fingerprints...; the gallery's models and fingerprints) is covered by its hash chain. The entry
// that records a change carries the content hash of each record the change wrote, so a record
// edited, deleted or inserted around the application no longer matches the chain.
//
// What a change wrote is captured by TEMP triggers on the application's own connection (another
// connection, such as a tamperer's, has none): they list the keys of the rows written, and the next
// chain entry, appended in the same transaction, takes the list and hashes those rows as they stand.
// Records that predate the scheme are named by a baseline written by the migration that brought it
// (record_digest_baseline: the last rowid and the row count of each table then).
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { ChainProblem, RecordCoverage } from '../api/contract.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import type { Db } from './open-database.ts';

export interface RecordKind {
  /** The name audit entries and messages use, e.g. 'fingerprint'. */
  kind: string;
  table: string;
  /** The columns that identify a record, in order (its key in chain entries). */
  key: readonly string[];
  /** Every column the digest covers, the key included; a BLOB is covered by its SHA-256. */
  columns: readonly string[];
  /** How a message names the record, e.g. "the fingerprint of item 3 (extractor 1a2b3c4d)". */
  describe(key: readonly unknown[]): string;
}

/** One record as a chain entry carries it: sha256 null when the change deleted it. */
export interface RecordDigest {
  kind: string;
  key: unknown[];
  sha256: string | null;
}

export interface RecordProblem extends ChainProblem {
  problem: 'record_changed' | 'record_deleted' | 'record_unrecorded';
  kind: string;
  key: unknown[];
}

export interface RecordCheck {
  /** Records whose digest matches the chain. */
  covered: number;
  /** Records made before record digests (the baseline): not covered, not counted as problems. */
  notCovered: number;
  problems: RecordProblem[];
}

const CAPTURING = new WeakSet<Db>();

/** The migration SQL that makes the baseline: which rows of these tables predate record digests. */
export function recordBaselineSql(tables: ReadonlyArray<readonly [kind: string, table: string]>): string {
  return `
      CREATE TABLE record_digest_baseline (
        kind TEXT PRIMARY KEY,
        last_rowid INTEGER NOT NULL,
        row_count INTEGER NOT NULL
      );
${tables.map(([kind, table]) => `      INSERT INTO record_digest_baseline SELECT '${kind}', coalesce(max(rowid), 0), count(*) FROM ${table};`).join('\n')}
      CREATE TRIGGER record_digest_baseline_no_update BEFORE UPDATE ON record_digest_baseline
        BEGIN SELECT RAISE(ABORT, 'the record digest baseline cannot be changed'); END;
      CREATE TRIGGER record_digest_baseline_no_delete BEFORE DELETE ON record_digest_baseline
        BEGIN SELECT RAISE(ABORT, 'the record digest baseline cannot be changed'); END;`;
}

/** Installs the capture triggers on this connection; call once the schema is up to date. */
export function captureRecordWrites(db: Db, kinds: readonly RecordKind[]): void {
  // No unique key: a trigger's own conflict clause gives way to the outer statement's (an upsert's
  // would fail on a repeated key), so repeats are listed and takeRecordWrites drops them.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS record_writes (kind TEXT NOT NULL, key TEXT NOT NULL)');
  for (const k of kinds) {
    const note = (row: 'NEW' | 'OLD') => `INSERT INTO record_writes (kind, key) VALUES ('${k.kind}', json_array(${k.key.map((c) => `${row}.${c}`).join(', ')}));`;
    const triggers = { insert: note('NEW'), update: `${note('OLD')} ${note('NEW')}`, delete: note('OLD') };
    for (const [op, body] of Object.entries(triggers)) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS record_writes_${k.table}_${op} AFTER ${op.toUpperCase()} ON main.${k.table} BEGIN ${body} END`);
    }
  }
  CAPTURING.add(db);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The content hash of one record: its kind and covered columns as canonical JSON. */
export function recordDigest(kind: RecordKind, row: Record<string, unknown>): string {
  const content: Record<string, unknown> = { record: kind.kind };
  for (const column of kind.columns) {
    const value = row[column];
    content[column] = Buffer.isBuffer(value) ? sha256Hex(value) : value;
  }
  return sha256Hex(canonicalJson(content));
}

// Prepared once per connection: a chain entry is appended per committed item, thousands per job.
type Statement = Database.Statement<unknown[]>;
const statements = new WeakMap<Db, Map<string, Statement>>();

function prepared(db: Db, name: string, sql: () => string): Statement {
  let byName = statements.get(db);
  if (!byName) statements.set(db, (byName = new Map()));
  let statement = byName.get(name);
  if (!statement) byName.set(name, (statement = db.prepare<unknown[]>(sql())));
  return statement;
}

function selectRecord(db: Db, kind: RecordKind) {
  return prepared(db, `select:${kind.kind}`, () => `SELECT ${kind.columns.join(', ')} FROM ${kind.table} WHERE ${kind.key.map((c) => `${c} = ?`).join(' AND ')}`);
}

/**
 * The digests of the records written since the last call, as they stand now; empties the list.
 * Call inside the transaction that wrote them, from the function that appends the chain entry.
 */
export function takeRecordWrites(db: Db, kinds: readonly RecordKind[]): RecordDigest[] {
  if (!CAPTURING.has(db)) return [];
  const written = prepared(db, 'written', () => 'SELECT kind, key FROM temp.record_writes ORDER BY rowid').all() as Array<{ kind: string; key: string }>;
  if (written.length === 0) return [];
  prepared(db, 'taken', () => 'DELETE FROM temp.record_writes').run();
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const unique = new Map(written.map((w) => [recordId(w.kind, JSON.parse(w.key) as unknown[]), w]));
  return [...unique.values()].map(({ kind, key }) => {
    const recordKind = byName.get(kind)!;
    const values = JSON.parse(key) as unknown[];
    const row = selectRecord(db, recordKind).get(values) as Record<string, unknown> | undefined;
    return { kind, key: values, sha256: row ? recordDigest(recordKind, row) : null };
  });
}

/** The latest digest the chain holds for each record, keyed by recordId(). */
export function recordedDigests(entries: Iterable<{ seq: number; records: string }>): Map<string, { seq: number; sha256: string | null }> {
  const latest = new Map<string, { seq: number; sha256: string | null }>();
  for (const entry of entries) {
    let records: RecordDigest[];
    try {
      records = JSON.parse(entry.records) as RecordDigest[];
    } catch {
      continue; // An entry whose records were changed: the chain check reports it as altered.
    }
    if (!Array.isArray(records)) continue;
    for (const r of records) latest.set(recordId(r.kind, r.key), { seq: entry.seq, sha256: r.sha256 });
  }
  return latest;
}

export function recordId(kind: string, key: readonly unknown[]): string {
  return `${kind}\u0000${JSON.stringify(key)}`;
}

/** The digest the chain recorded for one record: undefined when the chain never recorded it. */
export function recordedDigestOf(recorded: ReadonlyMap<string, { seq: number; sha256: string | null }>, kind: RecordKind, row: Record<string, unknown>) {
  return recorded.get(recordId(kind.kind, kind.key.map((c) => row[c])));
}

/**
 * Re-derives every record's digest from the tables and compares it with the chain: a record whose
 * content differs was changed, one the chain has but the table lacks was deleted, one the chain
 * never recorded was inserted (unless the baseline says it predates record digests).
 */
export function verifyRecords(db: Db, kinds: readonly RecordKind[], recorded: ReadonlyMap<string, { seq: number; sha256: string | null }>): RecordCheck {
  const baseline = new Map(
    (db.prepare('SELECT kind, last_rowid, row_count FROM record_digest_baseline').all() as Array<{ kind: string; last_rowid: number; row_count: number }>).map((b) => [b.kind, b]),
  );
  const check: RecordCheck = { covered: 0, notCovered: 0, problems: [] };
  const seen = new Set<string>();
  for (const kind of kinds) {
    const before = baseline.get(kind.kind) ?? { last_rowid: 0, row_count: 0 };
    let legacy = 0;
    for (const row of db.prepare(`SELECT rowid AS record_rowid, ${kind.columns.join(', ')} FROM ${kind.table}`).iterate() as IterableIterator<Record<string, unknown>>) {
      const key = kind.key.map((c) => row[c]);
      const id = recordId(kind.kind, key);
      seen.add(id);
      const chain = recorded.get(id);
      const problem = (p: RecordProblem['problem'], seq: number, message: string) => check.problems.push({ seq, problem: p, kind: kind.kind, key, message });
      if (chain === undefined) {
        if ((row['record_rowid'] as number) <= before.last_rowid) legacy++;
        else problem('record_unrecorded', 0, `${kind.describe(key)} is in the case but no audit entry recorded it: it was inserted outside the application`);
      } else if (chain.sha256 === null) {
        problem('record_unrecorded', chain.seq, `${kind.describe(key)} was deleted at entry ${chain.seq} but is back: it was inserted outside the application`);
      } else if (chain.sha256 !== recordDigest(kind, row)) {
        problem('record_changed', chain.seq, `${kind.describe(key)} no longer matches the digest recorded at entry ${chain.seq}: it was changed outside the application`);
      } else check.covered++;
    }
    // More rows look older than the scheme than there were when it came: some were slipped in with low rowids.
    if (legacy > before.row_count) {
      check.problems.push({ seq: 0, problem: 'record_unrecorded', kind: kind.kind, key: [], message: `${legacy} ${kind.table} rows predate record digests, but only ${before.row_count} existed when they were introduced: rows were inserted outside the application` });
    }
    check.notCovered += Math.min(legacy, before.row_count);
  }
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  for (const [id, chain] of recorded) {
    if (seen.has(id) || chain.sha256 === null) continue;
    const [kindName, keyJson] = id.split('\u0000') as [string, string];
    const kind = byName.get(kindName);
    if (!kind) continue;
    const key = JSON.parse(keyJson) as unknown[];
    check.problems.push({ seq: chain.seq, problem: 'record_deleted', kind: kindName, key, message: `${kind.describe(key)}, recorded at entry ${chain.seq}, is gone: it was deleted outside the application` });
  }
  return check;
}

/** A check as the contract reports it: the problems without their record keys. */
export function recordCoverage(check: RecordCheck): RecordCoverage {
  return { covered: check.covered, notCovered: check.notCovered, problems: check.problems.map(({ seq, problem, message }) => ({ seq, problem, message })) };
}
