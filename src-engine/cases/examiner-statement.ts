// What the examiner states in the report beside the findings: conclusions, a declaration (a default
// wording until the examiner writes one; printed only once confirmed), the signature block to be
// signed on paper and the peer review. One row (case-migrations v10); every change is one audit entry
// with each changed field's old and new value.
import type { ApiParsedInput, ExaminerStatement, ReviewOutcome } from '../api/contract.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { utcNow } from '../base/time.ts';
import type { Db } from '../db/open-database.ts';
import { assertCaseAllows } from './case-lifecycle.ts';

/** Offered until the examiner writes their own; the examiner confirms it before it is printed as theirs. */
export const DEFAULT_DECLARATION =
  'I declare that the facts stated in this report are within my own knowledge or are stated as coming from the sources named, ' +
  'that the opinions expressed are my true professional opinions, formed on the evidence and methods described, ' +
  'and that I have set out the limitations of those methods and anything that might detract from my opinions. ' +
  'I understand that my duty is to the court and that this duty overrides any obligation to the party who instructed me.';

interface StatementRow {
  conclusions: string;
  declaration: string;
  declaration_confirmed_utc: string | null;
  signer_name: string;
  signer_role: string;
  signer_organisation: string;
  signature_date: string;
  reviewer: string;
  review_date: string;
  review_outcome: ReviewOutcome | null;
  review_comments: string;
  modified_utc: string | null;
}

/** Each field of the statement and the column it is stored in (named here, never taken from the request). */
const COLUMNS = {
  conclusions: 'conclusions',
  declaration: 'declaration',
  declarationConfirmedUtc: 'declaration_confirmed_utc',
  'signature.name': 'signer_name',
  'signature.role': 'signer_role',
  'signature.organisation': 'signer_organisation',
  'signature.date': 'signature_date',
  'review.reviewer': 'reviewer',
  'review.date': 'review_date',
  'review.outcome': 'review_outcome',
  'review.comments': 'review_comments',
} as const satisfies Record<string, keyof StatementRow>;
type Field = keyof typeof COLUMNS;

// The row is made by the first change, in the transaction that audits it, so it is covered by the
// chain from the start; until then the statement is empty.
const EMPTY: StatementRow = {
  conclusions: '', declaration: '', declaration_confirmed_utc: null, signer_name: '', signer_role: '', signer_organisation: '', signature_date: '',
  reviewer: '', review_date: '', review_outcome: null, review_comments: '', modified_utc: null,
};

function readRow(db: Db): StatementRow {
  return (db.prepare('SELECT * FROM examiner_statement WHERE id = 1').get() as StatementRow | undefined) ?? EMPTY;
}

export function readStatement(db: Db): ExaminerStatement {
  const r = readRow(db);
  return {
    conclusions: r.conclusions,
    declaration: { text: r.declaration || DEFAULT_DECLARATION, isDefault: r.declaration === '', confirmedUtc: r.declaration_confirmed_utc },
    signature: { name: r.signer_name, role: r.signer_role, organisation: r.signer_organisation, date: r.signature_date },
    review: { reviewer: r.reviewer, date: r.review_date, outcome: r.review_outcome, comments: r.review_comments },
    modifiedUtc: r.modified_utc,
  };
}

export type StatementChanges = Omit<ApiParsedInput<'updateStatement'>, 'caseId'>;

export function updateStatement(db: Db, actor: string, changes: StatementChanges): ExaminerStatement {
  assertCaseAllows(db, 'changes');
  const before = readRow(db);
  const now = utcNow();
  const wanted: Partial<Record<Field, string | null>> = {
    conclusions: changes.conclusions,
    // The default wording is stored as '' so that a better default reaches cases that never changed it.
    declaration: changes.declaration === undefined ? undefined : changes.declaration === DEFAULT_DECLARATION ? '' : changes.declaration,
    'signature.name': changes.signature?.name,
    'signature.role': changes.signature?.role,
    'signature.organisation': changes.signature?.organisation,
    'signature.date': changes.signature?.date,
    'review.reviewer': changes.review?.reviewer,
    'review.date': changes.review?.date,
    'review.outcome': changes.review?.outcome,
    'review.comments': changes.review?.comments,
  };
  const wording = wanted.declaration ?? before.declaration;
  // A confirmation is of a wording: changing the wording takes it back unless it is confirmed again.
  const confirmed = changes.declarationConfirmed ?? (wording === before.declaration ? before.declaration_confirmed_utc !== null : false);
  if (confirmed !== (before.declaration_confirmed_utc !== null)) wanted.declarationConfirmedUtc = confirmed ? now : null;
  const changed = (Object.keys(wanted) as Field[]).filter((field) => wanted[field] !== undefined && wanted[field] !== before[COLUMNS[field]]);
  if (changed.length === 0) return readStatement(db);
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO examiner_statement (id) VALUES (1)').run();
    for (const field of changed) db.prepare(`UPDATE examiner_statement SET ${COLUMNS[field]} = ? WHERE id = 1`).run(wanted[field]);
    db.prepare('UPDATE examiner_statement SET modified_utc = ? WHERE id = 1').run(now);
    appendAudit(db, actor, 'statement.updated', Object.fromEntries(changed.map((field) => [field, { from: before[COLUMNS[field]], to: wanted[field] }])));
  })();
  return readStatement(db);
}
