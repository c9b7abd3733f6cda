// What the examiner states in the report, from the command line (each change audited as in the app):
//   conclusion  --case C [--text T]                         the conclusions ('' clears them)
//   declaration --case C [--text T] [--confirm|--withdraw]   the declaration (a default wording until changed)
//   signature   --case C [--name] [--role] [--organisation] [--date YYYY-MM-DD]   the block signed on paper
//   review      --case C [--reviewer] [--outcome O] [--date] [--comments]        the peer review
// Without a change each prints what is stored.
import type { ApiInput, ExaminerStatement } from '../../api/contract.ts';
import { REVIEW_OUTCOMES } from '../../api/contract.ts';
import { parseCaseArgs } from '../case-ref.ts';
import { checkedCall } from '../checked-call.ts';
import type { CliContext, Command } from '../context.ts';
import { withEngine } from '../engine-job.ts';
import { ExitCode } from '../exit-codes.ts';
import { terminalLines, terminalText } from '../terminal-text.ts';
import { UsageError } from '../usage-error.ts';

type Changes = Omit<ApiInput<'updateStatement'>, 'caseId'>;
type Values = Record<string, string | boolean | undefined>;
type Part = 'conclusions' | 'declaration' | 'signature' | 'review';

const shown = (value: string) => (value === '' ? '(none)' : terminalText(value));

const PRINT: Record<Part, (s: ExaminerStatement) => string[]> = {
  conclusions: (s) => (s.conclusions === '' ? ['No conclusions written.'] : ['Conclusions:', ...terminalLines(s.conclusions).split('\n').map((l) => `  ${l}`)]),
  declaration: (s) => [
    `Declaration (${s.declaration.isDefault ? 'the default wording' : "the examiner's wording"}; ${s.declaration.confirmedUtc ? `confirmed ${s.declaration.confirmedUtc}` : 'not confirmed: the report says so'}):`,
    ...terminalLines(s.declaration.text).split('\n').map((l) => `  ${l}`),
  ],
  signature: (s) => [`Signature block: name ${shown(s.signature.name)}, role ${shown(s.signature.role)}, organisation ${shown(s.signature.organisation)}, date ${shown(s.signature.date)}`],
  review: (s) => [
    `Peer review: reviewer ${shown(s.review.reviewer)}, date ${shown(s.review.date)}, outcome ${s.review.outcome ?? '(none)'}`,
    ...(s.review.comments === '' ? [] : ['  Comments:', ...terminalLines(s.review.comments).split('\n').map((l) => `    ${l}`)]),
  ],
};

/** A command over one part of the statement: its options, and the change they ask for (null: show it). */
function statementCommand(part: Part, options: Parameters<typeof parseCaseArgs>[2], changesOf: (values: Values) => Changes | null): Command {
  return async (ctx: CliContext, args) => {
    const { handle, values } = parseCaseArgs(ctx.library, args, options);
    const changes = changesOf(values);
    const statement = await withEngine(ctx, (engine) =>
      changes === null ? checkedCall(engine, 'getStatement', { caseId: handle.id }) : checkedCall(engine, 'updateStatement', { caseId: handle.id, ...changes }),
    );
    if (ctx.json) ctx.emitJson(statement);
    else for (const line of PRINT[part](statement)) ctx.print(line);
    return ExitCode.ok;
  };
}

const text = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
/** Only the fields given, so an absent option leaves its field as it is. */
function given<T extends Record<string, unknown>>(fields: T): Partial<T> | null {
  const present = Object.entries(fields).filter(([, value]) => value !== undefined);
  return present.length === 0 ? null : (Object.fromEntries(present) as Partial<T>);
}

export const conclusionCommand = statementCommand('conclusions', { text: { type: 'string' } }, (values) => given({ conclusions: text(values, 'text') }));

export const declarationCommand = statementCommand('declaration', { text: { type: 'string' }, confirm: { type: 'boolean' }, withdraw: { type: 'boolean' } }, (values) => {
  if (values.confirm && values.withdraw) throw new UsageError('--confirm and --withdraw contradict each other');
  return given({ declaration: text(values, 'text'), declarationConfirmed: values.confirm ? true : values.withdraw ? false : undefined });
});

export const signatureCommand = statementCommand(
  'signature',
  { name: { type: 'string' }, role: { type: 'string' }, organisation: { type: 'string' }, date: { type: 'string' } },
  (values) => {
    const signature = given({ name: text(values, 'name'), role: text(values, 'role'), organisation: text(values, 'organisation'), date: text(values, 'date') });
    return signature && { signature };
  },
);

export const reviewCommand = statementCommand(
  'review',
  { reviewer: { type: 'string' }, outcome: { type: 'string' }, date: { type: 'string' }, comments: { type: 'string' } },
  (values) => {
    const outcome = text(values, 'outcome');
    if (outcome !== undefined && !(REVIEW_OUTCOMES as readonly string[]).includes(outcome)) throw new UsageError(`--outcome takes one of: ${REVIEW_OUTCOMES.join(', ')}`);
    const review = given({ reviewer: text(values, 'reviewer'), date: text(values, 'date'), outcome: outcome as (typeof REVIEW_OUTCOMES)[number] | undefined, comments: text(values, 'comments') });
    return review && { review };
  },
);
