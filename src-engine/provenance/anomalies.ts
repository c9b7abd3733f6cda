// Format anomalies: facts about the file's structure that bear on its provenance — an extension
// that lies, bytes hidden after the end marker, damaged chunks, signs of lossy re-encoding, a
// camera claim without camera metadata, a manifest referred to but missing.
import type { ContainerWalk } from './container.ts';
import { estimateJpegQuality } from './jpeg-quality.ts';
import { isCaptureSourceType, type MetadataFacts } from './metadata.ts';
import type { C2paState, ProvenanceAnomaly } from '../api/provenance.ts';

export interface AnomalyInput {
  format: string | null;
  extension: string;
  extensionMatches: boolean;
  container: ContainerWalk;
  /** Null when the metadata could not be read at all. */
  metadata: MetadataFacts | null;
  hasGeneratorText: boolean;
  c2paState: C2paState;
}

/** What appended data starting with these bytes most likely is. */
const TRAILING_SIGNATURES: Array<[Buffer, string]> = [
  [Buffer.from('PK\x03\x04', 'latin1'), 'a ZIP archive'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'a JPEG image'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'a PNG image'],
  [Buffer.from('%PDF', 'latin1'), 'a PDF document'],
  [Buffer.from('Rar!', 'latin1'), 'a RAR archive'],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), 'a 7-Zip archive'],
];

export function findAnomalies(bytes: Buffer, input: AnomalyInput): ProvenanceAnomaly[] {
  const anomalies: ProvenanceAnomaly[] = [];
  const add = (code: ProvenanceAnomaly['code'], severity: ProvenanceAnomaly['severity'], message: string) =>
    anomalies.push({ code, severity, message });

  if (!input.extensionMatches) {
    add(
      'extension_mismatch',
      'warning',
      `the extension '.${input.extension}' does not match the content, which is ${input.format?.toUpperCase() ?? 'not a recognised image'}: the file was renamed or saved under a misleading name`,
    );
  }
  const trailing = trailingData(bytes, input.container);
  if (trailing) add('trailing_data', 'warning', trailing);
  structureAnomalies(input.container, add);

  const { metadata } = input;
  if (metadata) {
    const captureType = metadata.digitalSourceType !== null && isCaptureSourceType(metadata.digitalSourceType);
    if (!metadata.hasExif && (metadata.make || metadata.model || captureType)) {
      add(
        'camera_claim_without_exif',
        'warning',
        `the file claims a camera capture (${[metadata.make, metadata.model, captureType ? metadata.digitalSourceType : null].filter(Boolean).join(', ')}) but has no EXIF: camera files carry EXIF, so it was removed, re-encoded, or the claim was written by hand`,
      );
    }
    if (metadata.manifestReferences.length > 0 && input.c2paState === 'absent') {
      add(
        'c2pa_stripped_hint',
        'warning',
        `XMP refers to C2PA content credentials but the file holds no manifest store: the manifest was likely stripped (${metadata.manifestReferences.join('; ')})`,
      );
    }
    if (!metadata.hasExif && !metadata.hasXmpOrIptc && !input.hasGeneratorText && input.c2paState === 'absent') {
      add(
        'no_metadata',
        'info',
        'no EXIF, XMP, IPTC, generator text or C2PA: the file carries no provenance metadata, as with generators that write none and with stripped or re-encoded copies',
      );
    }
  }
  return anomalies;
}

function trailingData(bytes: Buffer, container: ContainerWalk): string | null {
  const where = (() => {
    switch (container.kind) {
      case 'png':
        return container.walk.endOffset === null ? null : { end: container.walk.endOffset, marker: 'the PNG IEND chunk' };
      case 'jpeg':
        return container.walk.endOffset === null ? null : { end: container.walk.endOffset, marker: 'the JPEG EOI marker' };
      case 'webp':
        return { end: container.walk.declaredEnd, marker: 'the size the RIFF header declares' };
      case 'bmff':
        return container.walk.problems.length > 0 ? null : { end: container.walk.endOffset, marker: 'the last ISO-BMFF box' };
      case 'other':
        return null;
    }
  })();
  if (!where || where.end >= bytes.length) return null;
  const tail = bytes.subarray(where.end);
  const looksLike = TRAILING_SIGNATURES.find(([signature]) => tail.subarray(0, signature.length).equals(signature))?.[1];
  const nature = looksLike ? `; it begins like ${looksLike}` : tail.every((b) => b === 0) ? '; it is all zero bytes (padding)' : '';
  return `${tail.length} bytes follow ${where.marker} at byte ${where.end}${nature}: decoders ignore them, so they can hide data or show the file was appended to`;
}

function structureAnomalies(container: ContainerWalk, add: (code: ProvenanceAnomaly['code'], severity: ProvenanceAnomaly['severity'], message: string) => void): void {
  if (container.kind !== 'other') {
    for (const problem of container.walk.problems) add('container_structure', 'warning', `${container.kind.toUpperCase()}: ${problem}`);
  }
  switch (container.kind) {
    case 'png': {
      const bad = container.walk.chunks.filter((c) => !c.crcOk);
      if (bad.length > 0) {
        add('png_crc_error', 'warning', `CRC mismatch in ${bad.map((c) => `'${c.type}' at byte ${c.offset}`).join(', ')}: the chunk was altered or damaged after it was written`);
      }
      return;
    }
    case 'jpeg': {
      const quality = estimateJpegQuality(container.walk.segments);
      if (quality !== null) {
        add(
          'jpeg_quality',
          'info',
          `last saved as JPEG at about quality ${quality} (IJG scale, estimated from the quantisation table): a generator's output saved or shared as JPEG has lost part of its pixel-level traces, more so the lower the quality`,
        );
      }
      return;
    }
    case 'webp': {
      if (container.walk.chunks.some((c) => c.fourcc === 'VP8 ')) {
        add(
          'lossy_webp',
          'info',
          'lossy WebP (VP8): the pixels went through lossy compression; generators usually write lossless PNG, so this is an encoded or re-encoded copy, as image services and platforms deliver',
        );
      }
      return;
    }
    case 'bmff':
    case 'other':
      return;
  }
}
