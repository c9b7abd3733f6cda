// `modelprint audit list | head -1`: once the reader has what it wanted it closes the pipe, and the
// next write fails with EPIPE. That is the reader's choice, not a failure: exit 0, quietly, rather
// than a stack trace and exit 1 (which reads as "integrity failure").
let installed = false;

export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout, exit: (code: number) => void = (code) => process.exit(code)): void {
  if (installed && stream === process.stdout) return;
  if (stream === process.stdout) installed = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') exit(0);
    else throw error;
  });
}
