// A folder of generator folders under each evaluation condition (as published, re-encoded, downscaled:
// conditions/transform.ts), fingerprinted and observed (compression, size: conditions/observed.ts)
// the way case evidence would be. Transformed copies and their embeddings are kept in a work folder
// keyed by the source listing, so `calibrate` and `evaluate` re-run in seconds.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConditionedFolder, ConditionedImage } from './leave-bag-out.ts';
import { compressionClass, observeCondition, type CompressionClass } from '../conditions/observed.ts';
import { writeConditionFolder, type ConditionId } from '../conditions/transform.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { embedLabelledFolder, listLabelledImages } from '../labelled-folders/embedded-folder.ts';

export interface ConditionedOptions {
  conditions: readonly ConditionId[];
  /** Where transformed copies and caches live (default: a folder under the OS temp dir). */
  workDir?: string;
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
}

export interface ConditionedFolders {
  folders: ConditionedFolder[];
  /** Files (relative to the source folder) unreadable under some condition. */
  unreadable: Array<{ condition: string; file: string; message: string }>;
  extractor: { name: string; sha256: string; provider: string };
  /** The embedding cache of each condition (FILE.npy with FILE.npy.json), usable as `embedLabelledFolder`'s cacheIn. */
  caches: Record<string, string>;
}

interface Observation {
  compression: CompressionClass;
  minSide: number;
}

/** A stable name for the source listing (paths, sizes, mtimes): a changed folder gets new copies. */
function listingKey(dir: string): string {
  const listing = listLabelledImages(dir);
  const hash = createHash('sha256').update(path.resolve(dir));
  for (const { file } of listing.files) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(dir, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function observeFiles(root: string, files: readonly string[], cacheFile: string): Promise<Observation[]> {
  if (fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { files: string[]; observations: Observation[] };
    if (JSON.stringify(cached.files) === JSON.stringify(files)) return cached.observations;
  }
  const observations: Observation[] = [];
  for (const file of files) {
    const observed = await observeCondition(await fs.promises.readFile(path.join(root, file)));
    observations.push({ compression: compressionClass(observed), minSide: observed.minSide ?? 0 });
  }
  fs.writeFileSync(cacheFile, `${JSON.stringify({ files, observations })}\n`);
  return observations;
}

/** The transformed copy of `dir` for one condition, made once: the mapping from source to copy names. */
async function transformedCopy(dir: string, condition: ConditionId, out: string, options: ConditionedOptions): Promise<Map<string, string>> {
  const done = `${out}.written.json`;
  if (!fs.existsSync(done)) {
    fs.rmSync(out, { recursive: true, force: true });
    const result = await writeConditionFolder(dir, out, condition, {
      signal: options.signal,
      onProgress: ({ done: n, total }) => options.onProgress?.(`${condition}: transformed ${n}/${total}`),
    });
    fs.writeFileSync(done, `${JSON.stringify(result.written)}\n`);
  }
  const written = JSON.parse(fs.readFileSync(done, 'utf8')) as Array<{ from: string; to: string }>;
  return new Map(written.map(({ from, to }) => [to, from]));
}

export async function embedConditions(dir: string, service: FingerprintService, options: ConditionedOptions): Promise<ConditionedFolders> {
  const source = path.resolve(dir);
  const work = path.join(options.workDir ?? path.join(os.tmpdir(), 'modelprint-conditions'), `${path.basename(source)}-${listingKey(source)}`);
  fs.mkdirSync(work, { recursive: true });
  const folders: ConditionedFolder[] = [];
  const unreadable: ConditionedFolders['unreadable'] = [];
  let extractor: ConditionedFolders['extractor'] | null = null;
  const caches: Record<string, string> = {};
  for (const condition of options.conditions) {
    options.signal?.throwIfAborted();
    const root = condition === 'as-published' ? source : path.join(work, condition);
    const original = condition === 'as-published' ? null : await transformedCopy(source, condition, root, options);
    const cache = path.join(work, `${condition}.${service.model().sha256.slice(0, 16)}.npy`);
    const embedded = await embedLabelledFolder(root, service, {
      signal: options.signal,
      ...(fs.existsSync(cache) && fs.existsSync(`${cache}.json`) ? { cacheIn: cache } : { cacheOut: cache }),
      onProgress: (n, total) => options.onProgress?.(`${condition}: fingerprinted ${n}/${total}`),
    });
    extractor ??= embedded.extractor;
    caches[condition] = cache;
    const observations = await observeFiles(root, embedded.files, path.join(work, `${condition}.observed.json`));
    const images: ConditionedImage[][] = embedded.generators.map(() => []);
    embedded.files.forEach((file, i) => {
      images[embedded.labels[i]!]!.push({ file: original?.get(file) ?? file, embedding: embedded.embeddings[i]!, ...observations[i]! });
    });
    folders.push({ condition, generators: embedded.generators, images });
    for (const u of embedded.unreadable) unreadable.push({ condition, file: original?.get(u.file) ?? u.file, message: u.message });
  }
  if (!extractor) throw new Error('no condition to evaluate');
  return { folders, unreadable, extractor, caches };
}
