import { parseArgs } from 'node:util';
import type { CaseHandle, Library } from '../cases/library.ts';
import { UsageError } from './usage-error.ts';

/** Parses the options every case-scoped command takes (--case), plus its own. */
export function parseCaseArgs<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(
  library: Library,
  args: string[],
  extra: T,
  allowPositionals = false,
) {
  const { values, positionals } = parseArgs({
    args,
    options: { case: { type: 'string', short: 'c' }, ...extra },
    allowPositionals,
    strict: true,
  });
  const ref = values.case as string | undefined;
  if (!ref) throw new UsageError('--case <case number or id> is required');
  const handle: CaseHandle = library.resolveCase(ref);
  return { handle, values, positionals };
}
