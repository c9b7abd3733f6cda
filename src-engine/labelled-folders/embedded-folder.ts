// A folder of folders (one per generator) turned into labelled embeddings: listed, fingerprinted
// with the installed extractor through the worker (the same path as case evidence), or loaded
// from an embedding cache (FILE.npy + FILE.npy.json) written by an earlier run, so `evaluate`
// and `calibrate` re-run in seconds on thousands of images. A cache is refused when it was made
// by another extractor or for another list of files.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors.ts';
import type { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { decodeNpyF32, encodeNpyF32 } from './npy.ts';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff', '.gif']);

export interface Listing {
  generators: string[];
  /** Absolute paths, generators in name order, files in name order within each. */
  files: Array<{ file: string; generator: number }>;
  ignored: number;
}

/** Generators are the folder's non-hidden subfolders; their images are the files directly inside. */
export function listLabelledImages(dir: string): Listing {
  const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const generators = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const files: Listing['files'] = [];
  let ignored = 0;
  generators.forEach((name, generator) => {
    for (const entry of fs.readdirSync(path.join(dir, name), { withFileTypes: true }).sort(byName)) {
      if (entry.isFile() && !entry.name.startsWith('.') && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        files.push({ file: path.join(dir, name, entry.name), generator });
      } else {
        ignored++;
      }
    }
  });
  return { generators, files, ignored };
}

export interface EmbeddedFolder {
  dir: string;
  extractor: { name: string; sha256: string; provider: string };
  dim: number;
  generators: string[];
  /** One row per readable image, in listing order. */
  embeddings: Float32Array[];
  /** The generator index (into `generators`) of each row. */
  labels: number[];
  /** Each row's file, relative to `dir`. */
  files: string[];
  unreadable: Array<{ file: string; generator: number; message: string }>;
  ignored: number;
  /** The cache file the embeddings came from, or null when they were computed now. */
  fromCache: string | null;
}

export interface EmbedFolderOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Load embeddings from this FILE.npy (with FILE.npy.json) instead of fingerprinting. */
  cacheIn?: string;
  /** Write the embeddings to this FILE.npy (and FILE.npy.json). */
  cacheOut?: string;
}

/** FILE.npy.json: what the rows of FILE.npy are. */
interface CacheIndex {
  extractor: { name: string; sha256: string; provider?: string };
  generators: string[];
  files: Array<{ file: string; generator: number }>;
  unreadable?: Array<{ file: string; generator: number; message: string }>;
}

export async function embedLabelledFolder(dir: string, service: FingerprintService, options: EmbedFolderOptions = {}): Promise<EmbeddedFolder> {
  const listing = listLabelledImages(dir);
  if (listing.generators.length === 0) throw new Error(`${dir} has no subfolders: expected one folder of images per generator`);
  const embedded = options.cacheIn ? loadCache(dir, listing, service, options.cacheIn) : await fingerprint(dir, listing, service, options);
  if (options.cacheOut) saveCache(embedded, options.cacheOut);
  return embedded;
}

async function fingerprint(dir: string, listing: Listing, service: FingerprintService, options: EmbedFolderOptions): Promise<EmbeddedFolder> {
  const { model, worker, facts } = await service.ready();
  const rows = new Array<Float32Array | undefined>(listing.files.length);
  const failed = new Map<number, string>();
  let done = 0;
  const { cancelled } = await worker.embed(
    listing.files.map(({ file }) => ({ path: file })),
    {
      signal: options.signal,
      onResult: (result) => {
        if (result.ok) rows[result.index] = result.embedding;
        else failed.set(result.index, result.message);
        options.onProgress?.(++done, listing.files.length);
      },
    },
  );
  if (cancelled) throw new Error('evaluation cancelled');
  const readable = listing.files.flatMap((f, i) => (rows[i] ? [{ ...f, embedding: rows[i] }] : []));
  return {
    dir,
    extractor: { name: model.name, sha256: model.sha256, provider: facts.provider },
    dim: facts.embeddingDim,
    generators: listing.generators,
    embeddings: readable.map((r) => r.embedding),
    labels: readable.map((r) => r.generator),
    files: readable.map((r) => path.relative(dir, r.file)),
    unreadable: [...failed].sort(([a], [b]) => a - b).map(([i, message]) => ({ file: path.relative(dir, listing.files[i]!.file), generator: listing.files[i]!.generator, message })),
    ignored: listing.ignored,
    fromCache: null,
  };
}

function saveCache(embedded: EmbeddedFolder, file: string): void {
  const index: CacheIndex = {
    extractor: embedded.extractor,
    generators: embedded.generators,
    files: embedded.files.map((f, i) => ({ file: f, generator: embedded.labels[i]! })),
    unreadable: embedded.unreadable,
  };
  fs.writeFileSync(file, encodeNpyF32(embedded.embeddings, embedded.dim));
  fs.writeFileSync(`${file}.json`, `${JSON.stringify(index)}\n`);
}

function loadCache(dir: string, listing: Listing, service: FingerprintService, file: string): EmbeddedFolder {
  const index = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as CacheIndex;
  const { rows, dim } = decodeNpyF32(fs.readFileSync(file));
  const model = service.model();
  if (index.extractor?.sha256 !== model.sha256) {
    throw new ApiError('conflict', `${file} was made with extractor ${index.extractor?.sha256?.slice(0, 16)}..., not the installed ${model.name} (${model.sha256.slice(0, 16)}...): fingerprint again`);
  }
  if (rows.length !== index.files.length) throw new ApiError('conflict', `${file} has ${rows.length} rows but its index lists ${index.files.length} files`);
  // Every image of the folder must be in the cache, as a row or as unreadable, in listing order.
  const cached = [...index.files.map((f) => f.file), ...(index.unreadable ?? []).map((u) => u.file)].sort();
  const listed = listing.files.map((f) => path.relative(dir, f.file)).sort();
  const generatorsMatch = JSON.stringify(index.generators) === JSON.stringify(listing.generators);
  if (!generatorsMatch || cached.length !== listed.length || cached.some((f, i) => f !== listed[i])) {
    throw new ApiError('conflict', `${file} was made for another set of images than ${dir} (${cached.length} cached, ${listed.length} in the folder): fingerprint again`);
  }
  return {
    dir,
    extractor: { name: model.name, sha256: model.sha256, provider: index.extractor.provider ?? 'cache' },
    dim,
    generators: listing.generators,
    embeddings: rows,
    labels: index.files.map((f) => f.generator),
    files: index.files.map((f) => f.file),
    unreadable: index.unreadable ?? [],
    ignored: listing.ignored,
    fromCache: file,
  };
}
