// The evidence list written item by item (JSON or CSV), hashed as it goes: memory stays one item
// deep however large the case. Byte for byte what renderEvidenceList makes of the whole list.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { appendAudit } from '../audit/audit-log.ts';
import { getEvidenceDetail, readCaseSummary } from '../cases/case-database.ts';
import type { Db } from '../db/open-database.ts';
import { utcNow } from '../base/time.ts';
import { APP_VERSION } from '../base/version.ts';
import { csvCell } from './csv-cell.ts';
import { CSV_COLUMNS, type ExportFormat } from './evidence-list.ts';

export type Sink = (chunk: string) => void | Promise<void>;

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => pad + line).join('\n');
}

export async function streamEvidenceList(db: Db, format: ExportFormat, sink: Sink): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const emit = async (text: string): Promise<void> => {
    hash.update(text, 'utf8');
    bytes += Buffer.byteLength(text, 'utf8');
    await sink(text);
  };
  const ids = (db.prepare('SELECT id FROM evidence_items ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
  if (format === 'csv') {
    await emit(`${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`);
    for (const id of ids) {
      const item = getEvidenceDetail(db, id)!;
      await emit(`${CSV_COLUMNS.map(([, get]) => csvCell(get(item))).join(',')}\r\n`);
    }
  } else {
    const head = JSON.stringify({ exportedUtc: utcNow(), software: { name: 'modelprint', version: APP_VERSION }, case: readCaseSummary(db) }, null, 2);
    if (ids.length === 0) {
      await emit(`${head.slice(0, -2)},\n  "items": []\n}\n`);
    } else {
      await emit(`${head.slice(0, -2)},\n  "items": [`);
      for (const [i, id] of ids.entries()) await emit(`${i === 0 ? '' : ','}\n${indent(JSON.stringify(getEvidenceDetail(db, id)!, null, 2), 4)}`);
      await emit('\n  ]\n}\n');
    }
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** A sink writing to a new file (never over an existing one); the file is removed if writing fails. */
export async function streamEvidenceListToFile(db: Db, format: ExportFormat, destination: string): Promise<{ sha256: string; bytes: number }> {
  const fd = fs.openSync(destination, 'wx', 0o644);
  try {
    const result = await streamEvidenceList(db, format, (chunk) => void fs.writeSync(fd, chunk));
    fs.fsyncSync(fd);
    return result;
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(destination, { force: true });
    throw error;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed after a failure
    }
  }
}

/** Writes to stdout, waiting when the pipe is full rather than buffering the whole list. */
export const stdoutSink: Sink = (chunk) =>
  process.stdout.write(chunk) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));

/** Records the export in the audit log with the document's hash, so the copy handed out can be checked. */
export function recordStreamedExport(db: Db, actor: string, format: ExportFormat, sha256: string, destination: string): void {
  db.transaction(() => appendAudit(db, actor, 'case.exported', { what: 'evidence list', format, sha256, destination }))();
}
