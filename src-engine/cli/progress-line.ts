// A single self-overwriting progress line on a terminal; periodic plain lines otherwise (logs, CI).
import { terminalText } from './terminal-text.ts';

const PLAIN_INTERVAL_MS = 2000;

export function progressReporter(write: (text: string) => void, isTty: boolean): { update(text: string): void; end(): void } {
  let last = 0;
  let shown = false;
  return {
    update(raw) {
      // Job progress may name the file at hand: its control characters must not reach the terminal.
      const text = terminalText(raw);
      const now = Date.now();
      if (isTty) {
        write(`\r\x1b[2K${text}`);
        shown = true;
      } else if (now - last >= PLAIN_INTERVAL_MS) {
        write(`${text}\n`);
        last = now;
      }
    },
    end() {
      if (shown) write('\n');
    },
  };
}
