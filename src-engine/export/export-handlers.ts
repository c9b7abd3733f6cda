// The evidence list for the app's "Export list" action: the same document `modelprint export`
// streams, collected for the browser or Electron to save, and audited with its hash and where it went.
import type { ApiHandlers } from '../api/contract.ts';
import type { Library } from '../cases/library.ts';
import { recordStreamedExport, streamEvidenceList } from './evidence-stream.ts';

export interface ExportDeps {
  library: Library;
  actor: string;
}

export function exportHandlers({ library, actor }: ExportDeps): Pick<ApiHandlers, 'exportEvidenceList'> {
  return {
    exportEvidenceList: async ({ caseId, format }) => {
      const { db } = library.openCase(caseId);
      const chunks: string[] = [];
      const { sha256 } = await streamEvidenceList(db, format, (chunk) => void chunks.push(chunk));
      recordStreamedExport(db, actor, format, sha256, 'saved from the application');
      return new TextEncoder().encode(chunks.join(''));
    },
  };
}
