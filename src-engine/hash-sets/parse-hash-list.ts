// Streaming readers of hash lists: plain lists (one SHA-256 or MD5 per line, optionally followed by
// a file name as sha256sum/md5sum write them; blank lines and # comments allowed) and NSRL RDS-style
// CSV (a quoted header naming "SHA-1","MD5",... and, in newer sets, "SHA-256"). Only SHA-256 and MD5
// are kept: intake records both for every item, nothing else. Lines with no usable hash are counted
// with their reasons so an import reports them instead of dropping them.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import readline from 'node:readline';
import type { BadHashLine, HashListFormat } from '../api/hash-sets.ts';

export interface ParsedHashList {
  format: HashListFormat;
  /** Lowercase hex, distinct; the length tells the algorithm (64 SHA-256, 32 MD5). */
  hashes: Set<string>;
  badLineCount: number;
  badLines: BadHashLine[];
  /** SHA-256 of the file's bytes as read. */
  sourceSha256: string;
}

const KEPT_BAD_LINES = 20;
const HEX = /^[0-9a-f]+$/;

/** 'sha256' or 'md5' for a lowercase hex string of the right length, else null. */
export function hashAlgorithm(hex: string): 'sha256' | 'md5' | null {
  if (!HEX.test(hex)) return null;
  return hex.length === 64 ? 'sha256' : hex.length === 32 ? 'md5' : null;
}

/** The fields of one CSV line; quotes may hold commas and doubled quotes. Null when a quote is left open. */
export function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoted) {
      if (c === '"' && line.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** An RDS header: its MD5 and SHA-256 column positions (-1 where absent), or null when the line is not one. */
function rdsColumns(line: string): { md5: number; sha256: number; width: number } | null {
  if (!line.startsWith('"')) return null;
  const names = csvFields(line)?.map((n) => n.trim().toUpperCase());
  if (!names || !names.includes('SHA-1') && !names.includes('MD5')) return null;
  return { md5: names.indexOf('MD5'), sha256: names.findIndex((n) => n === 'SHA-256' || n === 'SHA256'), width: names.length };
}

type LineReader = (text: string) => string[] | string;

function plainLine(text: string): string[] | string {
  const hex = (text.split(/\s+/, 1)[0] ?? '').toLowerCase();
  const algorithm = hashAlgorithm(hex);
  if (algorithm) return [hex];
  if (HEX.test(hex) && hex.length === 40) return 'a SHA-1 hash (only SHA-256 and MD5 are matched)';
  return `not a SHA-256 or MD5 hash: "${hex.slice(0, 80)}"`;
}

function rdsLine(columns: { md5: number; sha256: number; width: number }): LineReader {
  return (text) => {
    const fields = csvFields(text);
    if (!fields) return 'a quoted field is not closed';
    if (fields.length < columns.width) return `${fields.length} fields where the header has ${columns.width}`;
    const found: string[] = [];
    for (const [column, algorithm] of [[columns.sha256, 'sha256'], [columns.md5, 'md5']] as const) {
      if (column < 0) continue;
      const hex = (fields[column] ?? '').trim().toLowerCase();
      if (hashAlgorithm(hex) === algorithm) found.push(hex);
    }
    return found.length > 0 ? found : 'no valid SHA-256 or MD5 in the row';
  };
}

/** Reads a hash list file line by line (never whole into memory), telling plain lists and RDS CSV apart by the first content line. */
export async function parseHashList(file: string, signal?: AbortSignal): Promise<ParsedHashList> {
  const stream = createReadStream(file);
  const digest = createHash('sha256');
  stream.on('data', (chunk) => digest.update(chunk));
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  const result: Omit<ParsedHashList, 'sourceSha256'> = { format: 'plain', hashes: new Set(), badLineCount: 0, badLines: [] };
  let read: LineReader | null = null;
  let lineNumber = 0;
  for await (const raw of lines) {
    signal?.throwIfAborted();
    lineNumber++;
    const text = (lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '' || text.startsWith('#')) continue;
    if (read === null) {
      const columns = rdsColumns(text);
      if (columns) {
        if (columns.md5 < 0 && columns.sha256 < 0) throw new Error(`${file}: the CSV header names neither an MD5 nor a SHA-256 column`);
        result.format = 'nsrl-rds';
        read = rdsLine(columns);
        continue;
      }
      read = plainLine;
    }
    const outcome = read(text);
    if (typeof outcome === 'string') {
      result.badLineCount++;
      if (result.badLines.length < KEPT_BAD_LINES) result.badLines.push({ line: lineNumber, reason: outcome });
    } else for (const hex of outcome) result.hashes.add(hex);
  }
  return { ...result, sourceSha256: digest.digest('hex') };
}
