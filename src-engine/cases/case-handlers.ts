// The API handlers of the case library: cases, their evidence and thumbnails, integrity findings
// and the audit log, read from each case's database.
import fs from 'node:fs';
import type { ApiHandlers } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import { listAudit, verifyAuditChain } from '../audit/audit-log.ts';
import { verifyCheckpoints, writeCheckpoint } from '../audit/checkpoints.ts';
import { countEvidence, getEvidenceDetail, listEvidencePage, listFindings, listItemIds, readCaseSummary, type HashSetLookup } from './case-database.ts';
import { setCaseStatus, updateCaseDetails } from './case-lifecycle.ts';
import { addNote, listNotes } from './case-notes.ts';
import { readStatement, updateStatement } from './examiner-statement.ts';
import { bookmarkItems, listBookmarks } from './item-bookmarks.ts';
import { listTags, tagItems } from './item-tags.ts';
import type { Library } from './library.ts';

export interface CaseHandlerDeps {
  library: Library;
  actor: string;
  /** The installed extractor's sha256, if any: evidence rows say whether it fingerprinted them. */
  currentModelSha(): string | null;
  /** Looks items up in the library's hash sets (evidence rows and details carry their matches). */
  hashSets: HashSetLookup;
}

type CaseMethods =
  | 'listCases'
  | 'createCase'
  | 'getCase'
  | 'updateCase'
  | 'setCaseStatus'
  | 'addNote'
  | 'listNotes'
  | 'tagItems'
  | 'listTags'
  | 'bookmarkItems'
  | 'listBookmarks'
  | 'getStatement'
  | 'updateStatement'
  | 'listItemIds'
  | 'listEvidence'
  | 'getEvidence'
  | 'getThumbnail'
  | 'listFindings'
  | 'listAudit'
  | 'verifyAudit';

export function caseHandlers({ library, actor, currentModelSha, hashSets }: CaseHandlerDeps): Pick<ApiHandlers, CaseMethods> {
  return {
    listCases: async () => library.listCases(),
    createCase: async (input) => library.createCase(input, actor),
    getCase: async ({ caseId }) => readCaseSummary(library.openCase(caseId).db),
    updateCase: async ({ caseId, ...changes }) => updateCaseDetails(library.openCase(caseId).db, actor, changes),
    setCaseStatus: async ({ caseId, status }) => setCaseStatus(library.openCase(caseId).db, actor, status),
    addNote: async ({ caseId, itemId, text }) => addNote(library.openCase(caseId).db, actor, itemId ?? null, text),
    listNotes: async ({ caseId, itemId }) => listNotes(library.openCase(caseId).db, itemId),
    tagItems: async ({ caseId, itemIds, tag, remove }) => tagItems(library.openCase(caseId).db, actor, itemIds, tag, remove),
    listTags: async ({ caseId }) => listTags(library.openCase(caseId).db),
    bookmarkItems: async ({ caseId, itemIds, comment, remove }) => bookmarkItems(library.openCase(caseId).db, actor, itemIds, comment, remove),
    listBookmarks: async ({ caseId }) => listBookmarks(library.openCase(caseId).db),
    getStatement: async ({ caseId }) => readStatement(library.openCase(caseId).db),
    updateStatement: async ({ caseId, ...changes }) => updateStatement(library.openCase(caseId).db, actor, changes),
    listItemIds: async ({ caseId, query }) => listItemIds(library.openCase(caseId).db, query),
    listEvidence: async ({ caseId, offset, limit, query }) => {
      const { db } = library.openCase(caseId);
      return { total: countEvidence(db, query, hashSets), offset, items: listEvidencePage(db, offset, limit, currentModelSha(), query, hashSets) };
    },
    getEvidence: async ({ caseId, itemId }) => {
      const detail = getEvidenceDetail(library.openCase(caseId).db, itemId, currentModelSha(), hashSets);
      if (!detail) throw new ApiError('not_found', `no evidence item ${itemId} in this case`);
      return detail;
    },
    getThumbnail: async ({ caseId, sha256 }) => {
      const file = library.openCase(caseId).store.thumbnailPath(sha256);
      try {
        return new Uint8Array(await fs.promises.readFile(file));
      } catch {
        throw new ApiError('not_found', `no thumbnail for ${sha256}`);
      }
    },
    listFindings: async ({ caseId }) => listFindings(library.openCase(caseId).db),
    listAudit: async ({ caseId, offset, limit }) => listAudit(library.openCase(caseId).db, offset, limit),
    verifyAudit: async ({ caseId }) => {
      // The chain, then its signed checkpoints (audit/checkpoints.ts); an intact case gets its head signed.
      const handle = library.openCase(caseId);
      const chain = verifyAuditChain(handle.db);
      const checkpoints = verifyCheckpoints(library.home, handle.dir, handle.db);
      const problems = [...chain.problems, ...checkpoints.problems.map((p) => ({ seq: p.seq, problem: 'checkpoint_mismatch' as const, message: p.message }))];
      const ok = problems.length + chain.records.problems.length === 0;
      if (ok) writeCheckpoint(library.home, handle.dir, handle.db);
      return { ...chain, ok, problems };
    },
  };
}
