// The API handler of evidence intake: an import job (hash, copy, probe each file into the case),
// from typed paths or from browser uploads in the staging folder.
import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, JobStatus } from '../api/contract.ts';
import { ApiError } from '../api/errors.ts';
import type { Library } from '../cases/library.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { importEvidence } from './intake.ts';
import { assertCaseAllows } from '../cases/case-lifecycle.ts';

export interface ImportHandlerDeps {
  library: Library;
  jobs: JobRegistry;
  actor: string;
  /** Where the browser host stages uploaded files; an upload from anywhere else is refused. */
  stagingDir: string;
  caseChanged(caseId: string): void;
  /** caseChanged, at most about once a second: the grid follows an import along. */
  caseChangedSoon(caseId: string): void;
}

export function importHandlers({ library, jobs, actor, stagingDir, caseChanged, caseChangedSoon }: ImportHandlerDeps): Pick<ApiHandlers, 'startImport'> {
  function uploadedFile(p: string): string {
    const resolved = path.resolve(p);
    if (!resolved.startsWith(stagingDir + path.sep)) {
      throw new ApiError('invalid_input', `uploaded files must come from the staging folder: ${p}`);
    }
    return resolved;
  }

  return {
    startImport: async ({ caseId, paths, via }) => {
      const handle = library.openCase(caseId);
      assertCaseAllows(handle.db, 'new evidence');
      const selection = via === 'upload' ? paths.map(uploadedFile) : paths;
      return jobs.start<Extract<JobStatus, { kind: 'import' }>>(
        {
          kind: 'import',
          caseId,
          total: 0,
          done: 0,
          current: null,
          counts: { imported: 0, notAnalysable: 0, duplicates: 0, alreadyInCase: 0, failed: 0 },
          failures: [],
        },
        async (ctx) => {
          try {
            return await importEvidence(handle, selection, {
              actor,
              signal: ctx.signal,
              recordedPathOf: via === 'upload' ? (file) => `browser upload: ${path.basename(file)}` : undefined,
              onProgress: (p) => {
                ctx.update({ total: p.total, done: p.done, current: p.current, counts: { ...p.counts }, failures: [...p.failures] });
                caseChangedSoon(caseId);
              },
            });
          } finally {
            if (via === 'upload') for (const file of selection) fs.rmSync(path.dirname(file), { recursive: true, force: true });
            caseChanged(caseId);
          }
        },
      );
    },
  };
}
