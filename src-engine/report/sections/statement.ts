// What the examiner states: the conclusions, the declaration with the signature block to be signed
// on paper, and the peer review. Anything not written is said to be missing, never an empty heading.
import type { ExaminerStatement, ReviewOutcome } from '../../api/contract.ts';
import { utc } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

const OUTCOME: Record<ReviewOutcome, string> = {
  agreed: 'agreed with the findings and conclusions',
  'agreed-with-comments': 'agreed, with the comments below',
  disagreed: 'disagreed (see the comments below)',
};

export const STATEMENT_HEADINGS = ['Conclusions', 'Declaration', 'Peer review'] as const;

export function statementPart(statement: ExaminerStatement, number: string): SafeHtml {
  const [conclusions, declaration, review] = STATEMENT_HEADINGS.map((title, i) => `${number}.${i + 1} ${title}`);
  return html`<h3>${conclusions}</h3>${conclusionsBlock(statement)}
<h3>${declaration}</h3>${declarationBlock(statement)}
<h3>${review}</h3>${reviewBlock(statement)}`;
}

function conclusionsBlock(s: ExaminerStatement): SafeHtml {
  if (s.conclusions === '') return html`<p class="not-performed">The examiner has written no conclusions for this report: it states findings only, and the reader should draw none from it beyond them.</p>`;
  return html`<p class="statement-text">${s.conclusions}</p>`;
}

function declarationBlock(s: ExaminerStatement): SafeHtml {
  const signature = s.signature;
  const line = (value: string) => (value === '' ? html`<span class="fill-in"></span>` : html`${value}`);
  const block = html`<table class="signature-block">
  <tr><th>Name</th><td>${line(signature.name)}</td></tr>
  <tr><th>Role</th><td>${line(signature.role)}</td></tr>
  <tr><th>Organisation</th><td>${line(signature.organisation)}</td></tr>
  <tr><th>Date</th><td>${line(signature.date)}</td></tr>
  <tr class="sign"><th>Signature</th><td><span class="fill-in"></span></td></tr>
</table>`;
  if (s.declaration.confirmedUtc === null) {
    return html`<p class="not-performed">The examiner has not confirmed a declaration for this report.</p>${block}`;
  }
  return html`<p class="statement-text">${s.declaration.text}</p><p class="muted">Declaration confirmed in the case by the examiner on ${utc(s.declaration.confirmedUtc)}; signed on paper below.</p>${block}`;
}

function reviewBlock(s: ExaminerStatement): SafeHtml {
  const r = s.review;
  if (r.reviewer === '' && r.outcome === null && r.comments === '') return html`<p class="not-performed">No peer review of this report is recorded.</p>`;
  return html`<table class="kv">
  <tr><th>Reviewer</th><td>${r.reviewer || 'not named'}</td></tr>
  <tr><th>Date of review</th><td>${r.date || 'not given'}</td></tr>
  <tr><th>Outcome</th><td>${r.outcome ? OUTCOME[r.outcome] : 'not given'}</td></tr>
</table>
${r.comments ? html`<h4>Reviewer's comments</h4><p class="statement-text">${r.comments}</p>` : html`<p class="muted">The reviewer made no comments.</p>`}
<table class="signature-block"><tr class="sign"><th>Reviewer's signature</th><td><span class="fill-in"></span></td></tr></table>`;
}
