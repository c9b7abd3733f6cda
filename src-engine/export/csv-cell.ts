// One CSV cell, safe to open in a spreadsheet: a text beginning with = + - @ (or a tab or carriage
// return, which some spreadsheets skip before reading a formula) would run as a formula, so such a
// text is prefixed with an apostrophe, the convention spreadsheets show as "text as typed".
// Numbers and booleans are written as they are. RFC 4180 quoting for commas, quotes and newlines.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
