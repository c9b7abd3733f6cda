// An engine in a temporary library, driven through dispatch() as the IPC and HTTP hosts drive it,
// and a way to run one of its jobs to the end (shared by the engine and API handler tests).
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { ApiMethod, ApiOutputs, EngineEvent, JobStatus } from '../../../src-engine/api/contract.ts';
import { dispatch } from '../../../src-engine/api/dispatch.ts';
import type { Engine } from '../../../src-engine/api/engine-types.ts';
import { ApiError } from '../../../src-engine/api/errors.ts';
import { createEngine } from '../../../src-engine/engine.ts';
import { makeTempDir } from './temp-dir.ts';
import { TEST_ACTOR } from './test-case.ts';

export type Call = <M extends ApiMethod>(method: M, input: unknown) => Promise<ApiOutputs[M]>;

export function startEngine(t: TestContext): { engine: Engine; call: Call; home: string } {
  let engine: Engine | undefined;
  const home = makeTempDir(t, 'modelprint-engine', () => engine?.close());
  engine = createEngine({ home, host: 'browser', actor: TEST_ACTOR });
  const { handlers } = engine;
  return { engine, home, call: ((method, input) => dispatch(handlers, method, input)) as Call };
}

/** Starts a job and resolves with its final status and every event the engine emitted meanwhile. */
export async function runJob(engine: Engine, start: () => Promise<JobStatus>): Promise<{ job: JobStatus; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  let id: string | undefined;
  let settle!: (job: JobStatus) => void;
  const ended = new Promise<JobStatus>((resolve) => (settle = resolve));
  const unsubscribe = engine.subscribe((event) => {
    events.push(event);
    if (event.type === 'job' && event.job.id === id && event.job.state !== 'running') settle(event.job);
  });
  id = (await start()).id;
  const listed = (await engine.handlers.listJobs({})).find((j) => j.id === id);
  if (listed && listed.state !== 'running') settle(listed);
  const job = await ended;
  unsubscribe();
  return { job, events };
}

/** An assert.rejects predicate: an ApiError with this code (and message). */
export function apiError(code: string, message?: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}
