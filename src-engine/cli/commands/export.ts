import path from 'node:path';
import type { ExportFormat } from '../../export/evidence-list.ts';
import { recordStreamedExport, stdoutSink, streamEvidenceList, streamEvidenceListToFile } from '../../export/evidence-stream.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';

export const exportCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { format: { type: 'string' }, out: { type: 'string', short: 'o' } });
  const format = (values.format ?? 'json') as string;
  if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv');
  const out = values.out as string | undefined;
  // Streamed item by item and hashed as written (evidence-stream.ts), then recorded with its hash.
  if (!out) {
    const { sha256 } = await streamEvidenceList(handle.db, format as ExportFormat, stdoutSink);
    recordStreamedExport(handle.db, ctx.actor, format as ExportFormat, sha256, 'stdout');
    return ExitCode.ok;
  }
  const destination = path.resolve(out);
  const { sha256 } = await streamEvidenceListToFile(handle.db, format as ExportFormat, destination);
  recordStreamedExport(handle.db, ctx.actor, format as ExportFormat, sha256, destination);
  if (ctx.json) ctx.emitJson({ caseId: handle.id, format, path: destination, sha256 });
  else ctx.print(`Evidence list written to ${destination}\n  sha256 ${sha256}`);
  return ExitCode.ok;
};
