// A file the engine relies on is not what it was pinned to (a model or reference set whose hash no
// longer matches its card or header): an integrity failure, exit 1, not an internal error. Still
// an ApiError with code 'internal' for the UI, which shows its message as is.
import { ApiError } from './errors.ts';

export class IntegrityApiError extends ApiError {
  constructor(message: string) {
    super('internal', message);
    this.name = 'IntegrityApiError';
  }
}
