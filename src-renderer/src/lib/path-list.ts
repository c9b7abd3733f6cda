/** The non-empty, trimmed lines of a path box: one file or folder per line. */
export function parsePathList(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
