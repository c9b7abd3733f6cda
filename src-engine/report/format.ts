// Formatting shared by the report's sections. Times are UTC and say so.
import { compressionWords } from '../calibration/calibration-set.ts';
import type { CompressionClass } from '../conditions/observed.ts';

export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Long evidence text (prompts, workflows) is cut in the PDF; the JSON bundle keeps it whole. */
export function shortened(text: string, max = 1200): string {
  return text.length > max ? `${text.slice(0, max)} … [${text.length - max} more characters in the JSON bundle]` : text;
}

/** Custody and audit details as "key: value" pairs on one line. */
/** "importId 8ea0… · tools exiftool 13.59, c2pa 0.13.3 · claimed model none": words, not JSON, for examiners. */
export function detailsLine(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${keyWords(key)}: ${valueWords(value)}`)
    .join(' · ');
}

/** camelCase and snake_case keys as lower-case words ("claimedModel" → "claimed model"; "sha256" stays). */
function keyWords(key: string): string {
  return key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

function valueWords(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => (typeof v === 'string' ? v.replace(/_/g, ' ') : valueWords(v))).join(', ');
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} ${valueWords(v)}`).join(', ');
}

export function dimensions(width: number | null, height: number | null): string {
  return width !== null && height !== null ? `${width} × ${height} px` : '—';
}

/** "1–14, 17, 20–21": item lists stay short however many items a report covers. */
export function idRanges(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j;
  }
  return ranges.join(', ');
}

/** A share as a percentage; a small non-zero share is not rounded to 0. */
export function percent(share: number): string {
  if (share > 0 && share < 0.001) return '< 0.1%';
  return `${(share * 100).toFixed(share === 0 || share === 1 ? 0 : 1)}%`;
}

/** log10 LR with its sign, two decimals: "+2.31", "−0.40". */
export function signedLog10(value: number): string {
  return `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(2)}`;
}

/**
 * What a calibration is for: how it scores its evidence ("single image", "mean pooling, bag of 10"),
 * and, when known, the reference images behind the gallery entries and the evidence's compression
 * ("single image, gallery entries of 10 reference images, JPEGs of estimated quality 85 or more").
 */
export function calibrationLabel(c: { pooling: 'single' | 'mean' | 'deepsets'; bagSize: number; references?: number; compression?: CompressionClass }): string {
  const scoring = c.pooling === 'single' ? 'single image' : `${c.pooling === 'mean' ? 'mean pooling' : 'DeepSets'}, bag of ${c.bagSize}`;
  const references = c.references === undefined ? '' : `, gallery entries of ${plural(c.references, 'reference image')}`;
  return `${scoring}${references}${c.compression === undefined ? '' : `, ${compressionWords(c.compression)}`}`;
}
