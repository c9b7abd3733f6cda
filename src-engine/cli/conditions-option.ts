// --conditions a,b,c: the evaluation conditions (conditions/transform.ts) a command runs under.
import { CONDITION_IDS, type ConditionId } from '../conditions/transform.ts';
import { UsageError } from './usage-error.ts';

export function parseConditions(text: string): ConditionId[] {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !(CONDITION_IDS as readonly string[]).includes(id));
  if (ids.length === 0 || unknown.length > 0) throw new UsageError(`--conditions takes a comma-separated list of ${CONDITION_IDS.join(', ')}${unknown.length ? `, not ${unknown.join(', ')}` : ''}`);
  if (!ids.includes('as-published')) throw new UsageError('--conditions must include as-published (the references are published images)');
  return ids as ConditionId[];
}
