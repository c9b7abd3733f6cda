// An attribution (or a comparison of sets) is refused when a fingerprint it would score with, the
// evidence's or the gallery's, no longer matches what was recorded when it was saved: each problem
// becomes a finding of the case (with its audit entry), and the run ends with an integrity error.
import type { RecordProblem } from '../audit/case-records.ts';
import { CaseIntegrityError } from '../cases/case-paths.ts';
import type { CaseHandle } from '../cases/library.ts';
import { recordMismatchFindings } from '../cases/record-findings.ts';

export function refuseTampered(handle: CaseHandle, actor: string, problems: readonly RecordProblem[], what: 'attribution' | 'set comparison'): void {
  if (problems.length === 0) return;
  handle.db.transaction(() => recordMismatchFindings(handle.db, actor, problems, what))();
  const listed = problems.map((p) => p.message.replace(/: the case database has been altered$/, '')).join('; ');
  throw new CaseIntegrityError(
    `The ${what} was refused because ${problems.length === 1 ? 'a fingerprint it would use has' : `${problems.length} fingerprints it would use have`} been altered: ${listed}. ` +
      'Each is recorded as a finding of the case; `modelprint verify` and `modelprint gallery verify` list what changed.',
  );
}
