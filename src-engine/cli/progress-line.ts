// A single self-overwriting progress line on a terminal; periodic plain lines otherwise (logs, CI).
const PLAIN_INTERVAL_MS = 2000;

export function progressReporter(write: (text: string) => void, isTty: boolean): { update(text: string): void; end(): void } {
  let last = 0;
  let shown = false;
  return {
    update(text) {
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
