// What the definition says about one path of a source: outside its scope (not looked at), skipped
// with the rule's reason, or taken with a label. The first matching rule wins, so the definition
// lists its specific skips (edits, inputs, screenshots) before the broad takes of a folder.
import type { CompiledRule, CompiledSource } from './definition.ts';

export const NO_RULE = 'in scope, but no rule names it';

export type Decision =
  | { action: 'ignore' }
  | { action: 'skip'; reason: string }
  | { action: 'take'; rule: Extract<CompiledRule, { action: 'take' }> };

export function classify(source: CompiledSource, repoPath: string): Decision {
  if (!source.inScope(repoPath)) return { action: 'ignore' };
  const rule = source.rules.find((r) => r.test(repoPath));
  if (!rule) return { action: 'skip', reason: NO_RULE };
  return rule.action === 'skip' ? { action: 'skip', reason: rule.reason } : { action: 'take', rule };
}
