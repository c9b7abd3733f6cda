import { errorMessage } from './format.ts';

/**
 * Asks `load` for what `current()` names now, and hands on the answer, or the message of its
 * failure, only if `current()` still names the same when it comes: a panel that has moved on to
 * another item must not show the late answer for the last one. Called in an `$effect`, the
 * effect depends on what `current` and `load` read.
 */
export function loadCurrent<K, T>(
  current: () => K,
  load: (key: K) => Promise<T>,
  onLoaded: (loaded: T) => void,
  onFailed: (message: string) => void,
): void {
  const requested = current();
  load(requested).then(
    (loaded) => {
      if (current() === requested) onLoaded(loaded);
    },
    (failure: unknown) => {
      if (current() === requested) onFailed(errorMessage(failure));
    },
  );
}
