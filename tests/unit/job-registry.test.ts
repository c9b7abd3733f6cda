import assert from 'node:assert/strict';
import test from 'node:test';
import type { JobStatus } from '../../src-engine/api/contract.ts';
import { ApiError } from '../../src-engine/api/errors.ts';
import { JobRegistry, type JobContext } from '../../src-engine/jobs/job-registry.ts';
import { waitFor } from './helpers/wait.ts';

type VerifyJob = Extract<JobStatus, { kind: 'verify' }>;

const initial = {
  kind: 'verify' as const,
  caseId: '00000000-0000-0000-0000-000000000000',
  total: 0,
  done: 0,
  current: null,
  counts: { verified: 0, mismatched: 0, missing: 0 },
};

function registry(): { jobs: JobRegistry; published: JobStatus[] } {
  const published: JobStatus[] = [];
  return { jobs: new JobRegistry((job) => published.push(job)), published };
}

const finished = (jobs: JobRegistry, id: string) => () => jobs.list().find((j) => j.id === id && j.state !== 'running');

test('a job runs, reports progress and ends done, with every state published', async () => {
  const { jobs, published } = registry();
  const started = jobs.start<VerifyJob>(initial, async (ctx) => {
    ctx.update({ total: 2, done: 2, counts: { verified: 2, mismatched: 0, missing: 0 } });
    return { cancelled: false };
  });
  assert.equal(started.state, 'running');
  const end = await waitFor(finished(jobs, started.id), 'the job to end');
  assert.equal(end.state, 'done');
  assert.equal(end.done, 2);
  assert.ok(end.finishedUtc);
  assert.deepEqual(published.map((j) => j.state), ['running', 'running', 'done']);
});

test('cancelling aborts the signal and ends the job cancelled; unknown jobs are not_found', async () => {
  const { jobs } = registry();
  const started = jobs.start<VerifyJob>(initial, (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ cancelled: true }))));
  jobs.cancel(started.id);
  assert.equal((await waitFor(finished(jobs, started.id), 'the job to end')).state, 'cancelled');
  assert.throws(() => jobs.cancel('11111111-1111-1111-1111-111111111111'), (e) => e instanceof ApiError && e.code === 'not_found');
});

test('a job that throws ends failed with its message', async () => {
  const { jobs } = registry();
  const started = jobs.start<VerifyJob>(initial, async () => {
    throw new Error('disk on fire');
  });
  const end = await waitFor(finished(jobs, started.id), 'the job to end');
  assert.equal(end.state, 'failed');
  assert.equal(end.error, 'disk on fire');
});

test('rapid progress updates are coalesced, not published one by one', async () => {
  const { jobs, published } = registry();
  const started = jobs.start<VerifyJob>(initial, async (ctx: JobContext<VerifyJob>) => {
    for (let done = 1; done <= 10_000; done++) ctx.update({ done });
    return { cancelled: false };
  });
  const end = await waitFor(finished(jobs, started.id), 'the job to end');
  assert.equal(end.done, 10_000, 'the final state has the last progress');
  assert.ok(published.length <= 4, `${published.length} events for 10,000 updates`);
});

test('cancelAll resolves once every running job has ended', async () => {
  const { jobs } = registry();
  for (let i = 0; i < 3; i++) {
    jobs.start<VerifyJob>(initial, (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => setTimeout(() => resolve({ cancelled: true }), 30))));
  }
  await jobs.cancelAll();
  assert.deepEqual(jobs.list().map((j) => j.state), ['cancelled', 'cancelled', 'cancelled']);
});
