// The single entry point for calls that cross a trust boundary (Electron IPC, the loopback host):
// the method name is checked against the contract and the input parsed by its schema.
import { z } from 'zod';
import { apiInputs, type ApiHandlers, type ApiMethod } from './contract.ts';
import { ApiError } from './errors.ts';

function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiInputs, name);
}

export async function dispatch(handlers: ApiHandlers, method: string, rawInput: unknown): Promise<unknown> {
  if (!isApiMethod(method)) throw new ApiError('invalid_input', `unknown method "${method}"`);
  const parsed = apiInputs[method].safeParse(rawInput ?? {});
  if (!parsed.success) {
    throw new ApiError('invalid_input', `invalid input for ${method}: ${z.prettifyError(parsed.error)}`);
  }
  const handler = handlers[method] as (input: unknown) => Promise<unknown>;
  return handler(parsed.data);
}
