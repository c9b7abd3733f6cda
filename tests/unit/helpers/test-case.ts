// A fresh library with one case in it, closed and removed when the test ends.
import type { EvidenceDetail } from '../../../src-engine/api/contract.ts';
import { allEvidence, getEvidenceDetail } from '../../../src-engine/cases/case-database.ts';
import { Library, type CaseHandle } from '../../../src-engine/cases/library.ts';
import { importEvidence, type ImportOptions, type ImportOutcome } from '../../../src-engine/evidence/intake.ts';
import { makeTempDir, type CleanupScope } from './temp-dir.ts';

export const TEST_ACTOR = 'test-examiner';

export interface TestCase {
  home: string;
  library: Library;
  handle: CaseHandle;
}

export function createTestCase(t: CleanupScope, number = 'T-1'): TestCase {
  let library: Library | undefined;
  const home = makeTempDir(t, 'modelprint-case', () => library?.close());
  library = new Library(home);
  const summary = library.createCase({ number, title: 'Test case', examiner: TEST_ACTOR, description: '' }, TEST_ACTOR);
  return { home, library, handle: library.openCase(summary.id) };
}

export function importFiles(handle: CaseHandle, paths: readonly string[], options: Partial<ImportOptions> = {}): Promise<ImportOutcome> {
  return importEvidence(handle, paths, { actor: TEST_ACTOR, ...options });
}

export function allDetails(handle: CaseHandle): EvidenceDetail[] {
  return allEvidence(handle.db).map((row) => getEvidenceDetail(handle.db, row.id)!);
}

/** Evidence details keyed by the original file name, for tests whose file names are unique. */
export function detailsByName(handle: CaseHandle): Map<string, EvidenceDetail> {
  return new Map(allDetails(handle).map((d) => [d.originalName, d]));
}

export function tableCount(handle: CaseHandle, table: 'evidence_items' | 'custody_events' | 'audit_log' | 'findings'): number {
  return (handle.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
