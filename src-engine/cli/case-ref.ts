import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { CaseHandle, Library } from '../cases/library.ts';
import { UsageError } from './usage-error.ts';

export interface CaseArgs {
  handle: CaseHandle;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses the options every case-scoped command takes (--case), plus its own. */
export function parseCaseArgs(library: Library, args: string[], extra: ParseArgsOptionsConfig, allowPositionals = false): CaseArgs {
  const { values, positionals } = parseArgs({
    args,
    options: { case: { type: 'string', short: 'c' }, ...extra },
    allowPositionals,
    strict: true,
  });
  const ref = values.case;
  if (typeof ref !== 'string' || ref === '') throw new UsageError('--case <case number or id> is required');
  return { handle: library.resolveCase(ref), values: values as CaseArgs['values'], positionals };
}
