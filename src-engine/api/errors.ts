import type { ApiErrorCode, ApiErrorPayload } from './contract.ts';

/** An error meant for the examiner: its message is shown as is, its code drives the UI. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** The database's own refusals (append-only tables, archived or closed cases) are conflicts, not crashes. */
export function isDatabaseRefusal(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_TRIGGER';
}

export function toErrorPayload(error: unknown): ApiErrorPayload {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (isDatabaseRefusal(error)) return { code: 'conflict', message: (error as Error).message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}
