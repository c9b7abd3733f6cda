// Display formatting shared by all screens. Times are always shown in UTC and say so with 'Z'.

/** "2025-11-22 19:52:07Z" from an ISO timestamp; the input is shown unchanged if it does not parse. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const REASON_LABELS: Record<string, string> = {
  empty: 'Empty file',
  not_image: 'Not an image',
  unsupported_format: 'Unsupported format',
  corrupt: 'Damaged or truncated',
  too_many_pixels: 'Too many pixels',
};

export function reasonLabel(code: string | null): string {
  return code ? (REASON_LABELS[code] ?? code) : '';
}

/** Details objects from custody and audit entries, as "key: value" pairs for one line of text. */
export function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

const FORMAT_LABELS: Record<string, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  avif: 'AVIF',
  tiff: 'TIFF',
  gif: 'GIF',
};

/** What the content actually is, from the sniffed format or, failing that, the sniffed MIME type. */
export function contentLabel(format: string | null, mime: string | null): string {
  if (format) return FORMAT_LABELS[format] ?? format.toUpperCase();
  return mime ? `not a supported image (${mime})` : 'not a recognised image';
}

export function extensionLabel(extension: string): string {
  const bare = extension.replace(/^\./, '');
  return bare ? `.${bare}` : 'no extension';
}
