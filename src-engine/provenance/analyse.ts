/**
 * Provenance analysis of one evidence file: everything the file says about where it came from,
 * beside (never instead of) the pixel-level attribution.
 *
 * What it reads, and with what:
 * - the container, walked by hand (png-chunks, jpeg-segments, riff-chunks, bmff-boxes): PNG text
 *   chunks (tEXt/zTXt/iTXt), CRCs, chunk order, data after the end marker, JPEG quantisation
 *   tables, WebP coding, and where C2PA manifest stores sit;
 * - generation-tool text: Stable Diffusion web UI `parameters` (sd-parameters) in PNG text or
 *   EXIF UserComment, ComfyUI `prompt`/`workflow` graphs (comfyui);
 * - EXIF, XMP (incl. IPTC DigitalSourceType) and IPTC through ExifTool (metadata);
 * - C2PA content credentials, validated offline by c2pa-rs as WebAssembly (c2pa).
 *
 * What it produces: a ProvenanceReport (api/provenance.ts) of separate signals, the normalised generator
 * claim, the C2PA status, format anomalies and bounded raw metadata. Every signal can be removed
 * or forged; compareWithAttribution (contradictions.ts) flags where they disagree with the pixels,
 * and provenance-store.ts keeps the report in the case with custody and audit entries.
 *
 * The file is only read. Call closeMetadataReader() when the engine shuts down.
 */
import fs from 'node:fs/promises';
import exiftoolPackage from 'exiftool-vendored/package.json' with { type: 'json' };
import { sniffFile } from '../evidence/sniff.ts';
import { findAnomalies } from './anomalies.ts';
import { clip } from './bounded-text.ts';
import { C2PA_VALIDATOR, readC2pa, type C2paOptions } from './c2pa.ts';
import { locateC2paStores } from './c2pa-stores.ts';
import { walkContainer, type ContainerWalk } from './container.ts';
import { familyOf } from './model-families.ts';
import { metadataFacts, metadataSignals, readMetadata, type MetadataFacts, type MetadataTags } from './metadata.ts';
import { readPngTexts } from './png-text-signals.ts';
import { claimFromSdParameters, looksLikeSdParameters, parseSdParameters, sdParameterSignals } from './sd-parameters.ts';
import type { ClaimedGenerator, ProvenanceReport, ProvenanceSignal } from '../api/provenance.ts';

export { closeMetadataReader } from './metadata.ts';

const RAW_LIMITS = { tags: 500, valueChars: 2000, totalChars: 256 * 1024, chunks: 1000 };

export async function analyseProvenance(
  file: string,
  facts: { format: string | null; extension: string },
  options: C2paOptions = {},
): Promise<ProvenanceReport> {
  const bytes = await fs.readFile(file);
  const container = walkContainer(bytes);
  // The same sniffer as intake, over the whole file.
  const sniffed = await sniffFile(file, bytes.length, `evidence.${facts.extension}`);
  const metadata = await readMetadata(file);
  const meta = metadata.error ? null : metadataFacts(metadata.tags);

  const pngTexts = container.kind === 'png' ? readPngTexts(container.walk.texts) : { signals: [], claim: null };
  const userComment = userCommentParameters(meta);
  const c2pa = await readC2pa(bytes, facts.format, locateC2paStores(container), options);

  const signals: ProvenanceSignal[] = [
    ...pngTexts.signals,
    ...(userComment?.signals ?? []),
    ...(meta ? metadataSignals(meta, metadata.tags) : []),
    ...c2pa.signals,
  ];
  const claimedGenerator =
    pngTexts.claim ?? userComment?.claim ?? claimFromC2pa(c2pa.creatingAgent, c2pa.status.claimGenerator) ?? claimFromXmp(meta);

  const anomalies = findAnomalies(bytes, {
    format: facts.format,
    extension: facts.extension,
    extensionMatches: sniffed.extensionMatches,
    container,
    metadata: meta,
    hasGeneratorText: claimedGenerator !== null || pngTexts.signals.length > 0,
    c2paState: c2pa.status.state,
  });
  if (metadata.error) anomalies.push({ code: 'metadata_unreadable', severity: 'warning', message: metadata.error });

  return {
    reportVersion: 1,
    file: { format: facts.format, extension: facts.extension, sizeBytes: bytes.length },
    signals,
    claimedGenerator,
    c2pa: c2pa.status,
    anomalies,
    raw: boundedRaw(metadata.tags, container),
    tools: {
      exiftool: metadata.exiftoolVersion ?? 'unavailable',
      'exiftool-vendored': exiftoolPackage.version,
      c2pa: C2PA_VALIDATOR,
    },
  };
}

/** The web UI writes its parameters into EXIF UserComment when it saves JPEG or WebP. */
function userCommentParameters(meta: MetadataFacts | null): { signals: ProvenanceSignal[]; claim: ClaimedGenerator } | null {
  if (!meta?.userComment || !looksLikeSdParameters(meta.userComment)) return null;
  const parsed = parseSdParameters(meta.userComment);
  return { signals: sdParameterSignals(parsed, 'exif'), claim: claimFromSdParameters(parsed, 'exif') };
}

/**
 * A C2PA manifest names the generating model in its 'created' action (e.g. an OpenAI image). The
 * claim generator alone names the signing software, often an editor: it counts only when the
 * family table knows it as a generator.
 */
function claimFromC2pa(creatingAgent: string | null, claimGenerator: string | null): ClaimedGenerator | null {
  const model = creatingAgent ?? (familyOf(claimGenerator) ? claimGenerator : null);
  if (!model) return null;
  return { tool: claimGenerator ?? model, model, modelHash: null, loras: [], seed: null, source: 'c2pa' };
}

/** XMP that declares generative AI and names the tool that wrote it. */
function claimFromXmp(meta: MetadataFacts | null): ClaimedGenerator | null {
  if (!meta?.digitalSourceType || !/trainedAlgorithmicMedia/.test(meta.digitalSourceType)) return null;
  const tool = meta.creatorTool ?? meta.software;
  return tool ? { tool, model: familyOf(tool) ? tool : null, modelHash: null, loras: [], seed: null, source: 'xmp' } : null;
}

function boundedRaw(tags: MetadataTags, container: ContainerWalk): ProvenanceReport['raw'] {
  const metadata: Record<string, string> = {};
  let total = 0;
  let truncated = false;
  for (const [key, value] of Object.entries(tags)) {
    const kept = clip(value, RAW_LIMITS.valueChars);
    if (Object.keys(metadata).length >= RAW_LIMITS.tags || total + kept.length > RAW_LIMITS.totalChars) {
      truncated = true;
      break;
    }
    truncated ||= kept !== value;
    metadata[key] = kept;
    total += key.length + kept.length;
  }
  const chunks = container.kind === 'png' ? container.walk.chunks : [];
  truncated ||= chunks.length > RAW_LIMITS.chunks;
  return { metadata, pngChunks: chunks.slice(0, RAW_LIMITS.chunks), truncated };
}
