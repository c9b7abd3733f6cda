// Characters a reader cannot see but a renderer obeys, as a regular-expression class body: bidi
// marks, embeddings, overrides and isolates (U+202E makes "gnp.exe" read as "exe.png"), zero-width
// characters and the byte-order mark; and the C0/C1 controls, which the callers take with or
// without line breaks. The report (HTML) and the terminal show them as escapes of their own kinds.
export const FORMAT_CHARACTERS = '\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff';
export const CONTROLS_BUT_LINE_BREAKS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
export const CONTROLS_BUT_NEWLINE = '\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f';
export const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f';

/** A global regular expression matching any character of these class bodies. */
export function charactersOf(...classes: string[]): RegExp {
  return new RegExp(`[${classes.join('')}]`, 'gu');
}
