// Evidence rows without evidence files, for exercising listing and the grid at scale (importing
// 10,000 real files would only measure intake again). Deterministic: row n is always the same.
import { createHash } from 'node:crypto';
import type { NewEvidence } from '../src-engine/cases/case-database.ts';

export function syntheticEvidenceName(n: number): string {
  return `seized-${String(n).padStart(5, '0')}.png`;
}

export function syntheticEvidenceRow(n: number): NewEvidence {
  const name = syntheticEvidenceName(n);
  return {
    sha256: createHash('sha256').update(`synthetic item ${n}`).digest('hex'),
    md5: createHash('md5').update(`synthetic item ${n}`).digest('hex'),
    size_bytes: 1_500_000 + n,
    original_name: name,
    original_path: `/evidence/seized/${name}`,
    received_utc: '2026-01-01T00:00:00.000Z',
    received_by: 'synthetic',
    format: 'png',
    mime: 'image/png',
    extension: 'png',
    extension_matches: 1,
    width: 1024,
    height: 1024,
    channels: 3,
    bit_depth: 8,
    color_space: 'srgb',
    has_alpha: 0,
    pages: 1,
    status: 'analysable',
    reason_code: null,
    reason: null,
    has_thumbnail: 1,
  };
}
