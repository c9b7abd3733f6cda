// Model cards are Markdown; the report shows them as HTML. The cards ship with the software, but
// they are still treated as untrusted text: raw HTML in them is shown as text, and links and
// images cannot reach anything (the report page's CSP allows no fetches either).
import { Marked, type Tokens } from 'marked';
import { escapeHtml, trustedHtml, type SafeHtml } from './html.ts';

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
    // A link keeps its text and shows its target in brackets: a PDF on paper cannot be clicked.
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      return token.href === token.text ? `<span class="url">${escapeHtml(token.href)}</span>` : `${text} <span class="url">(${escapeHtml(token.href)})</span>`;
    },
    image: (token: Tokens.Image) => `<span class="muted">[image: ${escapeHtml(token.text || token.href)}]</span>`,
  },
});

export function markdownToHtml(text: string): SafeHtml {
  return trustedHtml(markdown.parse(text) as string);
}
