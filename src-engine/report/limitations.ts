// Limitations and known failure modes stated in every report: the ones that always hold for the
// methods used, and the ones this case's analyses make true (items left out, analyses not run).
import type { Exhibit, ItemFindings, Limitation, Methods } from './report-data.ts';

const STANDING: readonly Limitation[] = [
  {
    topic: 'Metadata can be removed or forged',
    text:
      'EXIF, XMP, IPTC, PNG text chunks and file names are written by software and can be removed, edited or copied from another file. ' +
      'They are reported as separate lines of evidence, never as proof of origin, and are weighed against the pixel-level analysis.',
  },
  {
    topic: 'Absence of provenance is not evidence of authenticity',
    text:
      'Many services and most editing or sharing steps strip metadata and C2PA manifests. An image without them may still be generated; ' +
      'an image with them may have been re-signed or altered after signing.',
  },
  {
    topic: 'C2PA trust',
    text:
      'C2PA manifests are validated offline. A signature that verifies against its certificate but whose signer is on no trust list configured ' +
      'here is reported as "valid, signer not trusted": this is the common state of genuine manifests and says nothing either way about the signer.',
  },
  {
    topic: 'Re-encoding and resizing',
    text:
      'Spectral fingerprints are traces of a generator\'s upsampling and processing. Lossy re-encoding (JPEG, lossy WebP), resizing, cropping, ' +
      'screenshots and social-media processing weaken or erase them; such items give less reliable fingerprints.',
  },
  {
    topic: 'Models outside the reference population',
    text:
      'Any attribution is relative to the models a gallery holds. An image from a model that is not in the gallery can only be recognised as ' +
      '"unknown", and fine-tunes of one base model can share most of its fingerprint.',
  },
];

export function limitationsFor(exhibits: readonly Exhibit[], items: readonly ItemFindings[], methods: Methods): Limitation[] {
  const found: Limitation[] = [...STANDING];
  const notAnalysable = exhibits.filter((e) => e.status === 'not_analysable');
  if (notAnalysable.length > 0) {
    found.push({
      topic: 'Items that could not be decoded',
      text: `${countOf(notAnalysable.length, 'item')} (${notAnalysable.map((e) => `item ${e.itemId}`).join(', ')}) could not be decoded as images: only their hashes, custody and metadata are reported.`,
    });
  }
  const notAnalysed = items.filter((i) => i.provenance === null);
  if (notAnalysed.length > 0) {
    found.push({
      topic: 'Provenance not analysed',
      text: `${countOf(notAnalysed.length, 'item')} had no provenance analysis in the case when this report was made (${notAnalysed.map((i) => `item ${i.itemId}`).join(', ')}).`,
    });
  }
  if (methods.extractor === null) {
    found.push({ topic: 'No fingerprint model installed', text: 'No spectral fingerprint extractor was installed: no item was fingerprinted.' });
  } else {
    const missing = items.filter((i) => i.fingerprint.state === 'not_fingerprinted');
    if (missing.length > 0) {
      found.push({
        topic: 'Items not fingerprinted',
        text: `${countOf(missing.length, 'item')} had no fingerprint from the installed extractor (${methods.extractor.name}).`,
      });
    }
  }
  if (items.every((i) => !i.attribution.performed)) {
    found.push({
      topic: 'No attribution',
      text: 'No gallery attribution exists in this version of the software: the report states no likelihood ratio and no candidate model.',
    });
  }
  return found;
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
