// Long commands (import, verify, fingerprint, evaluate): Ctrl-C cancels through an AbortSignal,
// and progress goes to one stderr line, so stdout stays clean for --json.
import { progressReporter } from './progress-line.ts';

export interface Interruptible {
  signal: AbortSignal;
  /** Shows a progress line (not with --json). */
  progress(text: string): void;
}

/** Runs `work`; the progress line is closed before it returns, so results print on a line of their own. */
export async function runInterruptible<T>(quiet: boolean, work: (run: Interruptible) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = progressReporter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  try {
    return await work({
      signal: controller.signal,
      progress: (text) => {
        if (!quiet) bar.update(text);
      },
    });
  } finally {
    bar.end();
    process.off('SIGINT', onSigint);
  }
}
