// Evidence intake: every selected file is hashed while it is copied into the case's store, its
// format sniffed from content, decoded once for facts and a thumbnail, then recorded with its
// custody and audit entries in one transaction. Files that cannot be analysed are recorded too.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportCounts } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import {
  addCustodyEvent,
  findEvidenceBySha,
  insertEvidence,
  wasReceivedFrom,
  type NewEvidence,
} from '../cases/case-database.ts';
import { withCaseLock } from '../cases/case-lock.ts';
import type { CaseHandle } from '../cases/library.ts';
import { utcNow } from '../base/time.ts';
import { hashAndCopy, type HashedCopy } from './hash-copy.ts';
import { probeImage, type ProbeResult } from './probe.ts';
import { recoverInterruptedWrites } from './recovery.ts';
import { checkContainer } from './container-check.ts';
import { sniffFile, type SniffResult } from './sniff.ts';
import type { LinkPolicy, LinkRecord } from '../base/symlink-policy.ts';
import { Turnstile } from './turnstile.ts';
import { collectFiles } from '../base/walk.ts';

/** Files in flight at once: enough to overlap disk reads with sharp's decoding on 2+ cores. */
const PARALLEL_FILES = 4;

export interface ImportSource {
  /** Where the bytes are read from. */
  path: string;
  /** What custody records as the original location (differs for browser uploads). */
  recordedPath: string;
  /** The original file name. */
  name: string;
}

export interface ImportProgress {
  total: number;
  done: number;
  current: string | null;
  counts: ImportCounts;
  failures: Array<{ path: string; message: string }>;
  /** Files imported, but as a snapshot of a file that changed while it was read. */
  warnings: Array<{ path: string; message: string }>;
  /** Symbolic links met in the selected folders and not followed, with their targets. */
  links: LinkRecord[];
}

export interface ImportOptions {
  actor: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Maps a file found on disk to the path custody records; identity by default. */
  recordedPathOf?: (file: string) => string;
  /** Symbolic links inside the selection: recorded and not followed (default), or followed when
   *  they lead to somewhere inside the selected folders. Links out of the selection never are. */
  links?: LinkPolicy;
}

export type ImportOutcome = ImportProgress & { cancelled: boolean };

type Outcome = keyof ImportCounts;

export async function importEvidence(handle: CaseHandle, selection: readonly string[], options: ImportOptions): Promise<ImportOutcome> {
  return withCaseLock(handle.dir, async () => {
    recoverInterruptedWrites(handle, options.actor);
    const walked = await collectFiles(selection, options.signal, { links: options.links ?? 'record' });
    const progress: ImportProgress = {
      total: walked.files.length,
      done: 0,
      current: null,
      counts: { imported: 0, notAnalysable: 0, duplicates: 0, alreadyInCase: 0, failed: walked.problems.length },
      failures: [...walked.problems],
      warnings: [],
      links: walked.links,
    };
    const importId = randomUUID();
    handle.db.transaction(() =>
      appendAudit(handle.db, options.actor, 'import.started', {
        importId,
        selection,
        files: walked.files.length,
        ...(walked.links.length > 0 ? { linksNotFollowed: walked.links } : {}),
      }),
    )();
    options.onProgress?.(progress);

    const queue = walked.files.map((file, ticket) => ({
      ticket,
      source: { path: file, recordedPath: options.recordedPathOf?.(file) ?? file, name: path.basename(file) },
    }));
    const turnstile = new Turnstile();
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { ticket, source } = next;
        let prepared: Prepared | undefined;
        let failure: Error | undefined;
        try {
          if (!options.signal?.aborted) prepared = await prepareFile(handle, source, options.signal);
        } catch (error) {
          failure = error as Error;
        }
        await turnstile.turn(ticket);
        try {
          if (options.signal?.aborted) continue;
          progress.current = source.recordedPath;
          if (prepared) {
            try {
              progress.counts[commitPrepared(handle, source, prepared, importId, options.actor)]++;
              if (prepared.copy.changed) progress.warnings.push({ path: source.recordedPath, message: `imported as a snapshot: ${prepared.copy.changed}` });
            } catch (error) {
              failure = error as Error;
            }
          }
          if (failure) {
            progress.counts.failed++;
            progress.failures.push({ path: source.recordedPath, message: failure.message });
          }
          progress.done++;
          options.onProgress?.(progress);
        } finally {
          if (prepared) fs.rmSync(prepared.tmp, { force: true });
          turnstile.pass();
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_FILES }, worker));
    const cancelled = options.signal?.aborted ?? false;
    progress.current = null;
    handle.db.transaction(() =>
      appendAudit(handle.db, options.actor, cancelled ? 'import.cancelled' : 'import.finished', {
        importId,
        ...progress.counts,
        remaining: progress.total - progress.done,
        failures: progress.failures,
        ...(progress.warnings.length > 0 ? { changedWhileRead: progress.warnings } : {}),
      }),
    )();
    options.onProgress?.(progress);
    return { ...progress, cancelled };
  });
}

interface Prepared {
  tmp: string;
  copy: HashedCopy;
  /** Absent when the bytes were already in the case: no need to decode them again. */
  sniffed?: SniffResult;
  probed?: ProbeResult;
  /** Facts custody records with the item: an animated PNG, whose first frame is analysed. */
  notes?: string[];
}

/** The slow part, run concurrently: copy and hash, then sniff and decode unless the bytes are known. */
async function prepareFile(handle: CaseHandle, source: ImportSource, signal?: AbortSignal): Promise<Prepared> {
  const tmp = path.join(handle.store.tmpDir, `${randomUUID()}.part`);
  const copy = await hashAndCopy(source.path, tmp, signal);
  try {
    if (findEvidenceBySha(handle.db, copy.sha256)) return { tmp, copy };
    const sniffed = await sniffFile(tmp, copy.sizeBytes, source.name);
    let probed = sniffed.kind === 'image' ? await probeImage(tmp) : undefined;
    const notes: string[] = [];
    if (sniffed.kind === 'image') {
      // A decoder stops once it has the pixels: the container says whether the file is whole.
      const container = await checkContainer(tmp, sniffed.format);
      if (container.truncated && probed) probed = { ok: false, reasonCode: 'corrupt', reason: container.truncated, facts: probed.facts };
      if (container.animated) notes.push(`animated PNG (APNG${container.frames === null ? '' : `, ${container.frames} frames`}): the first frame is analysed`);
    }
    return { tmp, copy, sniffed, probed, notes };
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** The recording part, run in selection order. */
function commitPrepared(handle: CaseHandle, source: ImportSource, prepared: Prepared, importId: string, actor: string): Outcome {
  const known = findEvidenceBySha(handle.db, prepared.copy.sha256);
  if (known) return recordRepeat(handle, known, source, prepared.copy, importId, actor);
  // Bytes known when prepared stay known (evidence rows are never deleted), so these are set here.
  return commitNewItem(handle, prepared.tmp, source, prepared.copy, prepared.sniffed!, prepared.probed, importId, actor, prepared.notes ?? []);
}

/** A file whose bytes the case already holds: a duplicate from elsewhere is a custody event. */
function recordRepeat(
  handle: CaseHandle,
  known: NonNullable<ReturnType<typeof findEvidenceBySha>>,
  source: ImportSource,
  copy: HashedCopy,
  importId: string,
  actor: string,
): Outcome {
  if (wasReceivedFrom(handle.db, known, source.recordedPath)) return 'alreadyInCase';
  const now = utcNow();
  handle.db.transaction(() => {
    const changed = copy.changed ? { changedWhileRead: copy.changed } : {};
    addCustodyEvent(handle.db, known.id, now, actor, 'duplicate_received', { sourcePath: source.recordedPath, sha256: copy.sha256, importId, sourceTimes: copy.sourceTimes, ...changed });
    appendAudit(handle.db, actor, 'evidence.duplicate', { itemId: known.id, sha256: copy.sha256, sourcePath: source.recordedPath, ...changed });
  })();
  return 'duplicates';
}

function commitNewItem(
  handle: CaseHandle,
  tmp: string,
  source: ImportSource,
  copy: HashedCopy,
  sniffed: SniffResult,
  probed: ProbeResult | undefined,
  importId: string,
  actor: string,
  notes: readonly string[],
): Outcome {
  const now = utcNow();
  const recordedFacts = { ...(notes.length > 0 ? { notes } : {}), ...(copy.changed ? { changedWhileRead: copy.changed } : {}) };
  const rejection =
    sniffed.kind === 'rejected' ? sniffed : probed && !probed.ok ? probed : undefined;
  const facts = probed?.facts;
  const item: NewEvidence = {
    sha256: copy.sha256,
    md5: copy.md5,
    size_bytes: copy.sizeBytes,
    original_name: source.name,
    original_path: source.recordedPath,
    received_utc: now,
    received_by: actor,
    format: sniffed.format,
    mime: sniffed.mime,
    extension: sniffed.extension,
    extension_matches: sniffed.extensionMatches ? 1 : 0,
    width: facts?.width ?? null,
    height: facts?.height ?? null,
    channels: facts?.channels ?? null,
    bit_depth: facts?.bitDepth ?? null,
    color_space: facts?.colorSpace ?? null,
    has_alpha: facts?.hasAlpha === undefined ? null : facts.hasAlpha ? 1 : 0,
    pages: facts?.pages ?? null,
    status: rejection ? 'not_analysable' : 'analysable',
    reason_code: rejection?.reasonCode ?? null,
    reason: rejection?.reason ?? null,
    has_thumbnail: probed?.ok ? 1 : 0,
  };
  // Files first (atomic renames), then the rows that make them known; a crash in between leaves
  // unrecorded files that the next write sweeps away, never a row without its file.
  handle.store.placeEvidence(tmp, copy.sha256);
  if (probed?.ok) handle.store.placeThumbnail(copy.sha256, probed.thumbnail);
  handle.db.transaction(() => {
    const itemId = insertEvidence(handle.db, item);
    addCustodyEvent(handle.db, itemId, now, actor, 'received', {
      importId,
      sourcePath: source.recordedPath,
      sha256: copy.sha256,
      md5: copy.md5,
      sizeBytes: copy.sizeBytes,
      storedAs: path.relative(handle.dir, handle.store.evidencePath(copy.sha256)),
      sourceTimes: copy.sourceTimes,
      ...recordedFacts,
    });
    appendAudit(handle.db, actor, 'evidence.received', {
      itemId,
      sha256: copy.sha256,
      sourcePath: source.recordedPath,
      status: item.status,
      reasonCode: item.reason_code,
      ...recordedFacts,
    });
  })();
  return rejection ? 'notAnalysable' : 'imported';
}
