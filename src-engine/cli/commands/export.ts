import fs from 'node:fs';
import path from 'node:path';
import { buildEvidenceList, recordExport, renderEvidenceList, type ExportFormat } from '../../export/evidence-list.ts';
import { parseCaseArgs } from '../case-ref.ts';
import type { Command } from '../context.ts';
import { ExitCode } from '../exit-codes.ts';
import { UsageError } from '../usage-error.ts';

export const exportCommand: Command = async (ctx, args) => {
  const { handle, values } = parseCaseArgs(ctx.library, args, { format: { type: 'string' }, out: { type: 'string', short: 'o' } });
  const format = (values.format ?? 'json') as string;
  if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv');
  const document = renderEvidenceList(buildEvidenceList(handle.db), format as ExportFormat);
  const out = values.out as string | undefined;
  if (!out) {
    recordExport(handle.db, ctx.actor, format, document, 'stdout');
    process.stdout.write(document);
    return ExitCode.ok;
  }
  const destination = path.resolve(out);
  fs.writeFileSync(destination, document, { flag: 'wx' });
  const sha256 = recordExport(handle.db, ctx.actor, format, document, destination);
  if (ctx.json) ctx.emitJson({ caseId: handle.id, format, path: destination, sha256 });
  else ctx.print(`Evidence list written to ${destination}\n  sha256 ${sha256}`);
  return ExitCode.ok;
};
