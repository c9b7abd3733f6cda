// What a value from a case (its database or folder) must look like before the engine uses it, and
// the error that says it does not: a case received from another lab may hold anything.

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A value in the case database (or its folder) that cannot be what the engine wrote: exit 1. */
export class CaseIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseIntegrityError';
  }
}

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** The value itself when it is a SHA-256 in hex; a CaseIntegrityError naming `what` otherwise. */
export function assertSha256Hex(value: unknown, what: string): string {
  if (isSha256Hex(value)) return value;
  throw new CaseIntegrityError(`${what} is not a SHA-256 (64 lowercase hex digits): ${JSON.stringify(String(value).slice(0, 80))}; the case database has been altered`);
}
