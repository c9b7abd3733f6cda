/** Timestamps are UTC ISO 8601 with milliseconds everywhere: sortable as text, unambiguous in court. */
export function utcNow(): string {
  return new Date().toISOString();
}
