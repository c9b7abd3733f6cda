// Compares provenance claims with the pixel-level attribution. Metadata and pixels are separate
// lines of evidence and either can be forged or wrong: a contradiction is flagged for the
// examiner to weigh, never resolved here. Families come from the table in model-families.ts.
import { familyOf } from './model-families.ts';
import { digitalSourceTypeCode, isCaptureSourceType } from './metadata.ts';
import type { Contradiction, ProvenanceReport } from '../api/provenance.ts';

export type AttributionSummary =
  | { outcome: 'attributed'; candidate: string; family?: string | null }
  | { outcome: 'inconclusive' | 'no-known-model' };

const UNCOMPARED: Record<'none' | 'inconclusive' | 'no-known-model', string> = {
  none: 'no pixel-level attribution of this item yet: the provenance signals stand alone and were not compared',
  inconclusive: 'the pixel-level attribution was inconclusive: the provenance signals stand alone and were not compared',
  'no-known-model': 'the pixel-level attribution found no known model: the provenance signals stand alone and were not compared',
};

export function compareWithAttribution(report: ProvenanceReport, attribution: AttributionSummary | null): Contradiction[] {
  if (attribution?.outcome !== 'attributed') {
    return [{ severity: 'info', message: UNCOMPARED[attribution?.outcome ?? 'none'] }];
  }
  const attributedFamily = attribution.family ?? familyOf(attribution.candidate);
  const attributed = `the pixel attribution says '${attribution.candidate}'${attributedFamily ? ` (${attributedFamily})` : ''}`;
  const found: Contradiction[] = [];

  const claim = report.claimedGenerator;
  if (claim?.model) {
    const claimedFamily = familyOf(claim.model);
    if (claimedFamily && attributedFamily && claimedFamily !== attributedFamily) {
      found.push({ severity: 'warning', message: `${claim.source} claims model '${claim.model}' (${claimedFamily}) made by ${claim.tool}, but ${attributed}` });
    } else if (!claimedFamily || !attributedFamily) {
      found.push({ severity: 'info', message: `${claim.source} claims model '${claim.model}', which could not be compared: ${attributed}, and the family table does not know ${claimedFamily ? 'the attributed model' : 'the claimed model'}` });
    }
  }

  const c2paClaim = report.c2pa.claimGenerator;
  const c2paFamily = familyOf(c2paClaim);
  if (c2paClaim && c2paFamily && attributedFamily && c2paFamily !== attributedFamily) {
    found.push({ severity: 'warning', message: `the C2PA claim generator '${c2paClaim}' (${c2paFamily}, ${report.c2pa.state}) differs from ${attributed}` });
  }

  for (const signal of report.signals.filter((s) => s.key === 'DigitalSourceType' && isCaptureSourceType(s.value))) {
    found.push({ severity: 'warning', message: `${signal.source.toUpperCase()} declares the image a capture ('${digitalSourceTypeCode(signal.value)}'), but ${attributed}, a generator` });
  }
  const camera = report.signals.filter((s) => s.source === 'exif' && (s.key === 'Make' || s.key === 'Model')).map((s) => s.value);
  if (camera.length > 0) {
    found.push({ severity: 'warning', message: `EXIF names a camera (${camera.join(' ')}), but ${attributed}, a generator` });
  }
  return found;
}
