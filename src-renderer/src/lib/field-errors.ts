// The engine validates input and reports every problem in one message, each problem followed by
// "→ at <field>". Splitting it lets a form put each message beside its field.

export interface FieldErrors {
  byField: Record<string, string>;
  /** Problems that name no field (or a message in another shape), shown above the form. */
  general: string[];
}

export function splitFieldErrors(message: string): FieldErrors {
  const result: FieldErrors = { byField: {}, general: [] };
  const body = message.replace(/^invalid input for \w+:\s*/, '');
  const issues = body.split(/^✖\s*/m).filter((part) => part.trim() !== '');
  if (!body.includes('✖')) return { byField: {}, general: [message] };
  for (const issue of issues) {
    const [text = '', ...rest] = issue.split('\n');
    const field = /→ at (\S+)/.exec(rest.join('\n'))?.[1];
    if (field) result.byField[field] = text.trim();
    else result.general.push(text.trim());
  }
  return result;
}
