// Estimates the IJG ("libjpeg quality") setting a JPEG was last saved with, from its luminance
// quantisation table. Generators output PNG; a JPEG's quality says how it was last re-encoded.
import { MARKER, type JpegSegment } from './jpeg-segments.ts';

/** The IJG standard luminance table (ITU-T T.81 Annex K) that libjpeg scales by quality. */
const STANDARD_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80,
  62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98,
  112, 100, 103, 99,
];
const STANDARD_SUM = STANDARD_LUMINANCE.reduce((a, b) => a + b, 0);

/**
 * Quality 1..100, or null without a luminance table. The mean scale factor is independent of the
 * zig-zag order the table is stored in; tables that are not IJG-scaled (some cameras) give only an
 * IJG-equivalent figure.
 */
export function estimateJpegQuality(segments: readonly JpegSegment[]): number | null {
  const table = luminanceTable(segments);
  if (!table) return null;
  const scale = (100 * table.reduce((a, b) => a + b, 0)) / STANDARD_SUM;
  const quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
  return Math.min(100, Math.max(1, Math.round(quality)));
}

function luminanceTable(segments: readonly JpegSegment[]): number[] | null {
  for (const segment of segments) {
    if (segment.marker !== MARKER.DQT) continue;
    let pos = 0;
    while (pos < segment.data.length) {
      const precision = segment.data[pos]! >> 4; // 0: 8-bit entries, 1: 16-bit
      const id = segment.data[pos]! & 0x0f;
      const size = precision === 0 ? 1 : 2;
      const start = pos + 1;
      if (start + 64 * size > segment.data.length) return null;
      if (id === 0) {
        return Array.from({ length: 64 }, (_, i) =>
          size === 1 ? segment.data[start + i]! : segment.data.readUInt16BE(start + 2 * i),
        );
      }
      pos = start + 64 * size;
    }
  }
  return null;
}
