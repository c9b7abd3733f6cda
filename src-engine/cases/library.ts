// A library is a folder of cases; each case is a self-contained folder (its SQLite database, the
// evidence store and thumbnails), so a case can be archived or handed over as one directory.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApiParsedInput, CaseSummary } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { CASE_RECORDS } from '../audit/case-records.ts';
import { captureRecordWrites } from '../db/record-digests.ts';
import { caseMigrations } from './case-migrations.ts';
import { openDatabase, type Db } from '../db/open-database.ts';
import { ContentStore } from '../base/content-store.ts';
import { utcNow } from '../base/time.ts';
import { readCaseSummary } from './case-database.ts';

export interface CaseHandle {
  id: string;
  dir: string;
  db: Db;
  store: ContentStore;
}

const CASE_DB = 'case.sqlite';

/** A case database brought up to date, with this connection's writes captured for the audit chain. */
function openCaseDatabase(file: string): Db {
  const db = openDatabase(file, caseMigrations);
  captureRecordWrites(db, CASE_RECORDS);
  return db;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class Library {
  readonly home: string;
  readonly casesDir: string;
  private readonly handles = new Map<string, CaseHandle>();

  constructor(home: string) {
    this.home = home;
    this.casesDir = path.join(home, 'cases');
    fs.mkdirSync(this.casesDir, { recursive: true });
  }

  createCase(input: ApiParsedInput<'createCase'>, actor: string): CaseSummary {
    if (this.listCases().some((c) => c.number === input.number)) {
      throw new ApiError('conflict', `a case numbered "${input.number}" already exists`);
    }
    const id = randomUUID();
    // Built under a temporary name and renamed, so a crash never leaves a half-made case listed.
    const building = path.join(this.casesDir, `.creating-${id}`);
    fs.mkdirSync(building);
    const db = openCaseDatabase(path.join(building, CASE_DB));
    try {
      const now = utcNow();
      db.transaction(() => {
        db.prepare(
          `INSERT INTO case_info (id, case_uuid, number, title, examiner, description, status, created_utc, modified_utc)
           VALUES (1, ?, ?, ?, ?, ?, 'open', ?, ?)`,
        ).run(id, input.number, input.title, input.examiner, input.description, now, now);
        appendAudit(db, actor, 'case.created', {
          number: input.number,
          title: input.title,
          examiner: input.examiner,
          description: input.description,
        });
      })();
    } finally {
      db.close();
    }
    fs.renameSync(building, path.join(this.casesDir, id));
    return readCaseSummary(this.openCase(id).db);
  }

  listCases(): CaseSummary[] {
    return fs
      .readdirSync(this.casesDir)
      .filter((name) => UUID.test(name) && fs.existsSync(path.join(this.casesDir, name, CASE_DB)))
      .map((id) => readCaseSummary(this.openCase(id).db))
      .sort((a, b) => b.createdUtc.localeCompare(a.createdUtc));
  }

  openCase(id: string): CaseHandle {
    const open = this.handles.get(id);
    if (open) return open;
    const dir = path.join(this.casesDir, id);
    if (!UUID.test(id) || !fs.existsSync(path.join(dir, CASE_DB))) {
      throw new ApiError('not_found', `no case with id ${id} in ${this.casesDir}`);
    }
    const handle: CaseHandle = { id, dir, db: openCaseDatabase(path.join(dir, CASE_DB)), store: new ContentStore(dir) };
    this.handles.set(id, handle);
    return handle;
  }

  /** Finds a case by its id or by its human case number (what examiners type on the command line). */
  resolveCase(ref: string): CaseHandle {
    if (UUID.test(ref)) return this.openCase(ref);
    const match = this.listCases().find((c) => c.number === ref);
    if (!match) throw new ApiError('not_found', `no case numbered "${ref}" in ${this.casesDir}`);
    return this.openCase(match.id);
  }

  close(): void {
    for (const handle of this.handles.values()) handle.db.close();
    this.handles.clear();
  }
}
