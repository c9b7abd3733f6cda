// Calls an engine method the way the app's hosts do: the input parsed by the contract's schema
// first, so text typed on the command line is held to the same rules (trimmed, limited, no controls).
import type { ApiInput, ApiMethod, ApiOutputs } from '../api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import type { Engine } from '../api/engine-types.ts';

export function checkedCall<M extends ApiMethod>(engine: Engine, method: M, input: ApiInput<M>): Promise<ApiOutputs[M]> {
  return dispatch(engine.handlers, method, input) as Promise<ApiOutputs[M]>;
}
