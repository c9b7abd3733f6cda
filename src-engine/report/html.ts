// HTML built with a tagged template that escapes every interpolated value unless it is already
// markup made here. Report text comes from evidence (file names, prompts, metadata written by
// whoever made the file): nothing from it may ever become markup.
import { CONTROLS_BUT_LINE_BREAKS, FORMAT_CHARACTERS, charactersOf } from '../base/invisible-characters.ts';

/** Markup produced by `html` (or deliberately trusted via `trustedHtml`). */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Evidence text shows invisible characters as their code points; line breaks and tabs stay text
// the layout wraps (prompts have them).
const INVISIBLE = charactersOf(CONTROLS_BUT_LINE_BREAKS, FORMAT_CHARACTERS);

export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

export function escapeHtml(text: string): string {
  return showInvisible(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** html`<p>${name}</p>`: strings are escaped, SafeHtml and arrays of it are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** For markup made by code we trust (the Markdown renderer, figure generators), never for evidence text. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function joinHtml(parts: readonly SafeHtml[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map((p) => p.text).join(separator));
}
