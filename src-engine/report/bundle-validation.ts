// Checks a report bundle against bundle.schema.json (committed beside this file) before it is
// written, and in the tests. Ajv compiles the schema once, on first use.
import { Ajv, type ValidateFunction } from 'ajv';
import schema from './bundle.schema.json' with { type: 'json' };

let validator: ValidateFunction | null = null;

export interface BundleValidation {
  ok: boolean;
  errors: string[];
}

export function validateBundle(bundle: unknown): BundleValidation {
  // strictTypes off: the per-type subschemas (if/then, contains) apply to nodes the parent schema
  // already requires to be objects, which is plain JSON Schema but trips Ajv's stricter lint.
  validator ??= new Ajv({ allErrors: true, strictTypes: false }).compile(schema);
  const ok = validator(bundle);
  return { ok, errors: (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) };
}

/** Throws when the bundle does not match its schema: a report must never ship an invalid export. */
export function assertValidBundle(bundle: unknown): void {
  const { ok, errors } = validateBundle(bundle);
  if (!ok) throw new Error(`the report's JSON bundle does not match its schema: ${errors.slice(0, 10).join('; ')}`);
}
