// EXIF, XMP and IPTC as ExifTool reads them (through exiftool-vendored): ExifTool is the reference
// examiners already cite, and it reads more metadata dialects than any JavaScript library.
// It runs as a separate Perl process (bundled Perl on Windows), started on first use and
// stopped by closeMetadataReader().
import { ExifTool } from 'exiftool-vendored';
import { clip } from './bounded-text.ts';
import type { ProvenanceSignal } from '../api/provenance.ts';

/** Tags keyed "Group:Name" (ExifTool family-1 groups such as IFD0, ExifIFD, XMP-iptcExt, IPTC). */
export type MetadataTags = Record<string, string>;

export interface MetadataRead {
  tags: MetadataTags;
  exiftoolVersion: string | null;
  /** Why nothing could be read; the report then says so instead of implying there is no metadata. */
  error: string | null;
}

/**
 * -G1: name each tag with its specific group; -a: keep duplicates (two XMP packets can disagree);
 * file-system and computed tags are left out: they describe the stored copy, not the evidence.
 */
const READ_ARGS = ['-G1', '-a', '--System:all', '--Composite:all', '--ExifTool:all'];

let reader: ExifTool | null = null;

function exiftool(): ExifTool {
  reader ??= new ExifTool({ maxProcs: 1, taskTimeoutMillis: 30_000, geolocation: false, useMWG: false });
  return reader;
}

export async function readMetadata(file: string): Promise<MetadataRead> {
  try {
    const raw = (await exiftool().readRaw(file, { readArgs: READ_ARGS })) as Record<string, unknown>;
    const tags: MetadataTags = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'SourceFile' || key === 'errors' || key === 'warnings') continue;
      tags[key] = Array.isArray(value) ? value.map(String).join('; ') : String(value);
    }
    return { tags, exiftoolVersion: await exiftool().version(), error: null };
  } catch (error) {
    return { tags: {}, exiftoolVersion: null, error: `ExifTool could not read the file: ${(error as Error).message}` };
  }
}

/** Stops the ExifTool process; the next read starts a new one. */
export async function closeMetadataReader(): Promise<void> {
  const running = reader;
  reader = null;
  await running?.end();
}

/** The metadata facts provenance analysis reasons about. */
export interface MetadataFacts {
  make: string | null;
  model: string | null;
  software: string | null;
  dateTimeOriginal: string | null;
  userComment: string | null;
  digitalSourceType: string | null;
  creatorTool: string | null;
  hasExif: boolean;
  hasXmpOrIptc: boolean;
  /** XMP that points at a C2PA manifest (dcterms:provenance, c2pa URIs): evidence one existed. */
  manifestReferences: string[];
}

const EXIF_GROUPS = /^(IFD0|IFD1|ExifIFD|GPS|InteropIFD|SubIFD\d*|MakerNotes|Canon|Nikon|Sony|Olympus|Panasonic|Fujifilm|Apple|Samsung)\b/;

export function metadataFacts(tags: MetadataTags): MetadataFacts {
  const keys = Object.keys(tags);
  return {
    make: first(tags, ['IFD0:Make', 'XMP-tiff:Make']),
    model: first(tags, ['IFD0:Model', 'XMP-tiff:Model']),
    software: first(tags, ['IFD0:Software', 'XMP-tiff:Software']),
    dateTimeOriginal: first(tags, ['ExifIFD:DateTimeOriginal', 'XMP-exif:DateTimeOriginal', 'XMP-photoshop:DateCreated']),
    userComment: first(tags, ['ExifIFD:UserComment']),
    digitalSourceType: first(tags, ['XMP-iptcExt:DigitalSourceType', 'XMP-plus:DigitalSourceType']),
    creatorTool: first(tags, ['XMP-xmp:CreatorTool']),
    hasExif: keys.some((k) => EXIF_GROUPS.test(k)),
    hasXmpOrIptc: keys.some((k) => k.startsWith('XMP') || k.startsWith('IPTC')),
    manifestReferences: keys
      .filter((k) => k.startsWith('XMP') && (/provenance/i.test(k) || /c2pa|jumbf=/i.test(tags[k]!)))
      .map((k) => `${k} = ${clip(tags[k]!, 300)}`),
  };
}

function first(tags: MetadataTags, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = tags[key]?.trim();
    if (value) return value;
  }
  return null;
}

const DIGITAL_SOURCE_TYPES = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/** IPTC's DigitalSourceType codes that say how the content was made (IPTC NewsCodes, 2024 list). */
const SOURCE_TYPE_MEANINGS: Record<string, string> = {
  trainedAlgorithmicMedia: 'made by a generative AI model (trained algorithmic media)',
  compositeWithTrainedAlgorithmicMedia: 'a composite that includes generative AI content',
  algorithmicallyEnhanced: 'captured content enhanced by an algorithm',
  algorithmicMedia: 'made by an algorithm without training data (e.g. procedural)',
  compositeSynthetic: 'a composite including synthetic elements',
  digitalCapture: 'captured by a digital camera or sensor: a claim of a real photograph',
  computationalCapture: 'captured with computational photography (e.g. a phone camera pipeline)',
  negativeFilm: 'scanned from a film negative',
  positiveFilm: 'scanned from a film positive',
  print: 'scanned from a print',
  minorHumanEdits: 'captured content with minor human edits',
  compositeCapture: 'a composite of captured elements',
  digitalArt: 'made by a person with digital tools',
  virtualRecording: 'recorded in a virtual environment',
  dataDrivenMedia: 'rendered from data',
  humanEdits: 'edited by a person',
  screenCapture: 'a screen capture',
};

/** The code at the end of an IPTC DigitalSourceType URI, e.g. 'trainedAlgorithmicMedia'. */
export function digitalSourceTypeCode(value: string): string {
  return value.startsWith(DIGITAL_SOURCE_TYPES) ? value.slice(DIGITAL_SOURCE_TYPES.length) : value;
}

/** Source types that claim a real capture (camera, film, scan) rather than synthesis. */
const CAPTURE_SOURCE_TYPES = new Set(['digitalCapture', 'computationalCapture', 'negativeFilm', 'positiveFilm', 'print', 'minorHumanEdits']);

export function isCaptureSourceType(value: string): boolean {
  return CAPTURE_SOURCE_TYPES.has(digitalSourceTypeCode(value));
}

export function describeDigitalSourceType(value: string): string {
  const code = digitalSourceTypeCode(value);
  return `IPTC digital source type '${code}': ${SOURCE_TYPE_MEANINGS[code] ?? 'a code not in the IPTC list known to this version'}`;
}

export function metadataSignals(facts: MetadataFacts, tags: MetadataTags): ProvenanceSignal[] {
  const signals: ProvenanceSignal[] = [];
  const add = (source: ProvenanceSignal['source'], key: string, value: string | null, interpretation: string | null) => {
    if (value) signals.push({ source, key, value: clip(value), interpretation });
  };
  add('exif', 'Make', facts.make, 'camera maker the file claims');
  add('exif', 'Model', facts.model, 'camera model the file claims');
  add('exif', 'Software', facts.software, 'software that last wrote the file, as it claims');
  add('exif', 'DateTimeOriginal', facts.dateTimeOriginal, 'when the image claims to have been made (no time zone unless given)');
  add('xmp', 'DigitalSourceType', facts.digitalSourceType, facts.digitalSourceType && describeDigitalSourceType(facts.digitalSourceType));
  add('xmp', 'CreatorTool', facts.creatorTool, 'application that created the file, as it claims');
  for (const reference of facts.manifestReferences) add('xmp', 'C2PA reference', reference, 'XMP refers to a C2PA manifest');
  for (const [key, value] of Object.entries(tags)) {
    if (key.startsWith('IPTC:')) add('iptc', key.slice('IPTC:'.length), value, null);
  }
  return signals;
}
