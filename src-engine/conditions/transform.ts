// The evaluation conditions: what happens to an image between the generator and the examiner
// (re-encoded by a platform, shrunk by a messenger). Each condition turns an image's published
// bytes into the bytes an investigator would meet, deterministically (same bytes in, same bytes
// out), so `modelprint evaluate` can be run once per condition on a transformed copy of a folder.
//
// Decoding never applies the EXIF orientation (a rotation is not what the generator wrote, and
// the fingerprint decoder does not apply it either) and never fails on a damaged but readable
// file (`failOn: 'none'`): a truncated original is transformed as sharp reads it. Metadata is not
// copied. Alpha and greyscale are left to sharp: JPEG cannot store alpha (libvips drops it), grey
// stays grey (the fingerprint decoder repeats it on three channels).
import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { PIXEL_LIMIT } from '../base/pixel-limit.ts';
import { listLabelledImages } from '../labelled-folders/embedded-folder.ts';

export type ConditionId = 'as-published' | 'jpeg-q90' | 'jpeg-q75' | 'webp-q80' | 'downscale-0.5';

export interface Condition {
  id: ConditionId;
  /** Plain words for a results table. */
  label: string;
  /** The extension (no dot) a transformed copy is written with; null keeps the file's own name. */
  extension: string | null;
  transform: (bytes: Buffer) => Promise<Buffer>;
}

function decode(bytes: Buffer): Sharp {
  return sharp(bytes, { failOn: 'none', autoOrient: false, limitInputPixels: PIXEL_LIMIT });
}

/** Baseline IJG tables (Annex K scaled by quality), 4:2:0, none of mozjpeg's extras: what most software writes. */
function jpegAt(quality: number): (bytes: Buffer) => Promise<Buffer> {
  return (bytes) =>
    decode(bytes)
      .jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false, quantisationTable: 0, trellisQuantisation: false, overshootDeringing: false, optimiseScans: false, progressive: false })
      .toBuffer();
}

/** Half each side, rounded down (never below 1 pixel), with sharp's default lanczos3 kernel. */
export async function downscaleHalf(bytes: Buffer): Promise<Buffer> {
  const { width, height } = await decode(bytes).metadata();
  if (!width || !height) throw new Error('the image has no readable size');
  return decode(bytes)
    .resize({ width: Math.max(1, Math.floor(width / 2)), height: Math.max(1, Math.floor(height / 2)), fit: 'fill', kernel: 'lanczos3' })
    .png()
    .toBuffer();
}

export const CONDITIONS: readonly Condition[] = [
  { id: 'as-published', label: 'as published (bytes unchanged)', extension: null, transform: async (bytes) => bytes },
  { id: 'jpeg-q90', label: 're-encoded JPEG, quality 90', extension: 'jpg', transform: jpegAt(90) },
  { id: 'jpeg-q75', label: 're-encoded JPEG, quality 75', extension: 'jpg', transform: jpegAt(75) },
  {
    id: 'webp-q80',
    label: 're-encoded lossy WebP, quality 80',
    extension: 'webp',
    transform: (bytes) => decode(bytes).webp({ quality: 80, lossless: false, nearLossless: false, smartSubsample: false, effort: 4 }).toBuffer(),
  },
  { id: 'downscale-0.5', label: 'downscaled to half size (lanczos3), saved as lossless PNG', extension: 'png', transform: downscaleHalf },
];

export const CONDITION_IDS: readonly ConditionId[] = CONDITIONS.map((c) => c.id);

export function conditionById(id: string): Condition {
  const condition = CONDITIONS.find((c) => c.id === id);
  if (!condition) throw new Error(`unknown condition "${id}": expected one of ${CONDITION_IDS.join(', ')}`);
  return condition;
}

export interface WriteConditionOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; file: string }) => void;
  /** Files transformed at once (default 2). */
  concurrency?: number;
}

export interface WriteConditionResult {
  condition: ConditionId;
  dir: string;
  out: string;
  generators: string[];
  /** Relative paths (to `dir` and to `out`), in listing order. */
  written: Array<{ from: string; to: string }>;
  /** Files that could not be read or transformed, relative to `dir`, in listing order. */
  unreadable: Array<{ file: string; message: string }>;
  /** Entries of the generator folders that are not images by name (not copied). */
  ignored: number;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The names the copies get in one generator folder: the base name kept, only the extension
 * changed, so the files sort as they did. Should that merge two names (`a.png` and `a.webp`) or
 * reorder them, the whole folder keeps full names instead (`a.png.jpg`).
 */
export function targetNames(names: readonly string[], extension: string | null): string[] {
  if (extension === null) return [...names];
  const fits = (list: string[]) => new Set(list).size === list.length && sameOrder(names, list);
  const renamed = names.map((n) => `${path.basename(n, path.extname(n))}.${extension}`);
  if (fits(renamed)) return renamed;
  const kept = names.map((n) => `${n}.${extension}`);
  if (fits(kept)) return kept;
  throw new Error(`cannot name the transformed copies of ${names.join(', ')} without changing their order`);
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  const order = (list: readonly string[]) => list.map((_, i) => i).sort((i, j) => byName(list[i]!, list[j]!)).join(',');
  return order(a) === order(b);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Writes `<dir>/<generator>/<file>` transformed by `condition` to `<out>/<generator>/<name>`,
 * two files at a time. `out` must be absent or empty (a leftover file would be evaluated too) and
 * outside `dir` unless it is hidden there (`dir/.conditions/...`, which listings skip). Each copy
 * is written to a temporary name and renamed, so a cancelled run leaves only whole files.
 */
export async function writeConditionFolder(
  dir: string,
  out: string,
  condition: Condition | ConditionId,
  options: WriteConditionOptions = {},
): Promise<WriteConditionResult> {
  const chosen = typeof condition === 'string' ? conditionById(condition) : condition;
  const source = path.resolve(dir);
  const target = path.resolve(out);
  if (isInside(target, source) && !path.relative(source, target).split(path.sep)[0]!.startsWith('.')) {
    throw new Error(`${out} is inside ${dir}: it would be read as a generator folder; write elsewhere (or under a hidden folder)`);
  }
  if (isInside(source, target)) throw new Error(`${out} contains ${dir}`);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new Error(`${out} is not empty: remove it or choose another folder`);

  const listing = listLabelledImages(source);
  if (listing.generators.length === 0) throw new Error(`${dir} has no subfolders: expected one folder of images per generator`);
  const jobs: Array<{ from: string; to: string }> = [];
  listing.generators.forEach((generator, g) => {
    const names = listing.files.filter((f) => f.generator === g).map((f) => path.basename(f.file));
    const targets = targetNames(names, chosen.extension);
    names.forEach((name, i) => jobs.push({ from: path.join(generator, name), to: path.join(generator, targets[i]!) }));
  });

  fs.mkdirSync(target, { recursive: true });
  for (const generator of listing.generators) fs.mkdirSync(path.join(target, generator), { recursive: true });

  const results = new Array<{ ok: true } | { ok: false; message: string } | undefined>(jobs.length);
  let next = 0;
  let done = 0;
  let stopped = false;
  const worker = async () => {
    while (next < jobs.length && !stopped) {
      options.signal?.throwIfAborted();
      const index = next++;
      const job = jobs[index]!;
      let transformed: Buffer;
      try {
        transformed = await chosen.transform(await fs.promises.readFile(path.join(source, job.from)));
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        results[index] = { ok: false, message: error instanceof Error ? error.message : String(error) };
        options.onProgress?.({ done: ++done, total: jobs.length, file: job.from });
        continue;
      }
      options.signal?.throwIfAborted();
      // A failure to write is the output folder's problem, not the image's: it stops the run.
      const file = path.join(target, job.to);
      const temporary = `${file}.partial-${process.pid}`;
      try {
        await fs.promises.writeFile(temporary, transformed);
        await fs.promises.rename(temporary, file);
      } catch (error) {
        await fs.promises.rm(temporary, { force: true });
        throw error;
      }
      results[index] = { ok: true };
      options.onProgress?.({ done: ++done, total: jobs.length, file: job.from });
    }
  };
  const guarded = () =>
    worker().catch((error: unknown) => {
      stopped = true;
      throw error;
    });
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  // Every worker is let finish its file before a failure or cancellation is reported, so nothing
  // is still being written when this returns.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(concurrency, Math.max(1, jobs.length)) }, guarded));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;

  return {
    condition: chosen.id,
    dir: source,
    out: target,
    generators: listing.generators,
    written: jobs.filter((_, i) => results[i]?.ok),
    unreadable: jobs.flatMap((job, i) => {
      const r = results[i];
      return r && !r.ok ? [{ file: job.from, message: r.message }] : [];
    }),
    ignored: listing.ignored,
  };
}

/** Every condition (or the ones named) written to `<outRoot>/<condition id>/`, one after another. */
export async function writeAllConditions(
  dir: string,
  outRoot: string,
  options: WriteConditionOptions & { conditions?: readonly ConditionId[] } = {},
): Promise<WriteConditionResult[]> {
  const results: WriteConditionResult[] = [];
  for (const id of options.conditions ?? CONDITION_IDS) {
    results.push(await writeConditionFolder(dir, path.join(outRoot, id), id, options));
  }
  return results;
}
