// Text from evidence (file names, case titles, messages quoting them) shown on a terminal: control
// characters are written as visible escapes, so an ESC sequence in a file name cannot recolour or
// rewrite the screen, and a newline in one cannot print a line that looks like the engine's own.
// Also escaped: DEL, the C1 controls (0x9b is a one-byte CSI), bidi overrides and zero-width characters.
import { CONTROLS, CONTROLS_BUT_NEWLINE, FORMAT_CHARACTERS, charactersOf } from '../base/invisible-characters.ts';

const EVERY_CONTROL = charactersOf(CONTROLS, FORMAT_CHARACTERS);
const CONTROL_BUT_NEWLINE = charactersOf(CONTROLS_BUT_NEWLINE, FORMAT_CHARACTERS);
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One value inside a line: every control character escaped, newlines included. */
export function terminalText(text: string): string {
  return text.replace(EVERY_CONTROL, escape);
}

/** A whole line (or lines) the engine composed: its own newlines kept, every other control escaped. */
export function terminalLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escape);
}
