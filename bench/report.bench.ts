// A whole-case report: 500 items, each imported, fingerprinted, analysed for provenance and
// attributed against the default gallery, then one report with every section for every item,
// through the engine's handlers as the app makes it. Measured: the report job alone (the
// preparation is not timed), its pages, and resident memory at each stage of the report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from '../src-engine/api/engine-types.ts';
import type { JobStatus } from '../src-engine/api/contract.ts';
import { dispatch } from '../src-engine/api/dispatch.ts';
import { createEngine } from '../src-engine/engine.ts';
import type { Benchmark } from './benchmark.ts';
import { RssSampler } from './rss-sampler.ts';
import { ensureSyntheticPngs } from './synthetic-images.ts';

const ITEMS = 500;
const SIZE = 256;
const TARGET_SECONDS = 120;
const cacheDir = path.join(os.tmpdir(), 'modelprint-bench-cache', `report-png-${SIZE}`);

async function finished(engine: Engine, start: () => Promise<JobStatus>, onUpdate?: (job: JobStatus) => void): Promise<JobStatus> {
  let id: string | undefined;
  let settle!: (job: JobStatus) => void;
  const ended = new Promise<JobStatus>((resolve) => (settle = resolve));
  const unsubscribe = engine.subscribe((event) => {
    if (event.type !== 'job' || event.job.id !== id) return;
    onUpdate?.(event.job);
    if (event.job.state !== 'running') settle(event.job);
  });
  id = (await start()).id;
  const listed = (await engine.handlers.listJobs({})).find((j) => j.id === id);
  if (listed && listed.state !== 'running') settle(listed);
  const job = await ended;
  unsubscribe();
  if (job.state !== 'done') throw new Error(`${job.kind} job ${job.state}: ${'error' in job ? job.error : ''}`);
  return job;
}

export const reportBenchmark: Benchmark = {
  name: 'report',
  description: `a report with every section for every item of a ${ITEMS}-item case (${SIZE} px PNGs, fingerprinted, provenance, attributed)`,
  async run(log) {
    const files = await ensureSyntheticPngs(cacheDir, ITEMS, SIZE);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-bench-report-'));
    const engine = createEngine({ home, host: 'browser', actor: 'bench' });
    const call = (method: Parameters<typeof dispatch>[1], input: unknown) => dispatch(engine.handlers, method, input);
    try {
      const created = (await call('createCase', { number: 'REPORT-500', title: 'Report benchmark', examiner: 'bench' })) as { id: string };
      const caseId = created.id;
      let t0 = performance.now();
      await finished(engine, () => call('startImport', { caseId, paths: files }) as Promise<JobStatus>);
      await finished(engine, () => call('startFingerprint', { caseId }) as Promise<JobStatus>);
      await finished(engine, () => call('startProvenance', { caseId }) as Promise<JobStatus>);
      await finished(engine, () => call('startAttribution', { caseId }) as Promise<JobStatus>);
      log(`case of ${ITEMS} items prepared in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

      const rss = new RssSampler();
      const stages: Array<{ stage: string; atSeconds: number }> = [];
      t0 = performance.now();
      const job = await finished(engine, () => call('startReport', { caseId }) as Promise<JobStatus>, (j) => {
        const stage = j.current ?? '';
        if (stages.at(-1)?.stage !== stage) {
          stages.push({ stage, atSeconds: Math.round((performance.now() - t0) / 100) / 10 });
          rss.mark(stage);
        }
      });
      const seconds = (performance.now() - t0) / 1000;
      const memory = rss.stop();
      const report = (job as Extract<JobStatus, { kind: 'report' }>).report!;
      log(`report: ${report.pages} pages in ${seconds.toFixed(1)} s, peak RSS ${memory.peakMiB} MiB`);
      for (const s of stages) log(`  ${s.atSeconds.toFixed(1)} s  ${s.stage}`);
      return {
        metrics: [
          { name: `report of ${ITEMS} items, every section`, value: seconds, unit: 's', target: { op: '<=', value: TARGET_SECONDS } },
          { name: 'pages', value: report.pages, unit: 'pages' },
          { name: 'engine peak RSS during the report', value: memory.peakMiB, unit: 'MiB' },
        ],
        details: { items: ITEMS, size: SIZE, stages, rssMiB: memory.marksMiB, pdfBytes: report.pdf.sizeBytes },
      };
    } finally {
      await engine.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
};
