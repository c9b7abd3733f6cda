// The evidence grid pages through a case 200 rows at a time: how long one page takes at
// different depths of a 10,000-item case, through the engine's listEvidence handler.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertEvidence } from '../src-engine/cases/case-database.ts';
import { Library } from '../src-engine/cases/library.ts';
import { createEngine } from '../src-engine/engine.ts';
import type { Benchmark, Metric } from './benchmark.ts';
import { syntheticEvidenceRow } from './synthetic-evidence.ts';

const ROWS = 10_000;
const PAGE = 200;
const REPEATS = 25;
const TARGET_MS_PER_PAGE = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const evidenceGridBenchmark: Benchmark = {
  name: 'evidence-grid',
  description: `listEvidence pages of ${PAGE} across a case of ${ROWS.toLocaleString('en')} items (median of ${REPEATS})`,
  async run(log) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-bench-grid-'));
    try {
      const library = new Library(home);
      const { id: caseId } = library.createCase({ number: 'GRID', title: 'Grid benchmark', examiner: 'bench', description: '' }, 'bench');
      const { db } = library.openCase(caseId);
      db.transaction(() => {
        for (let n = 1; n <= ROWS; n++) insertEvidence(db, syntheticEvidenceRow(n));
      })();
      library.close();
      log(`${ROWS} rows inserted`);

      const engine = createEngine({ home, host: 'browser', actor: 'bench' });
      const metrics: Metric[] = [];
      try {
        for (const offset of [0, 2_500, 5_000, 7_500, ROWS - PAGE]) {
          const times: number[] = [];
          for (let r = 0; r < REPEATS; r++) {
            const started = performance.now();
            const page = await engine.handlers.listEvidence({ caseId, offset, limit: PAGE });
            times.push(performance.now() - started);
            if (page.items.length !== PAGE) throw new Error(`page at ${offset} has ${page.items.length} rows`);
          }
          metrics.push({ name: `page of ${PAGE} at offset ${offset}`, value: median(times), unit: 'ms', target: { op: '<=', value: TARGET_MS_PER_PAGE } });
        }
      } finally {
        await engine.close();
      }
      return { metrics, details: { rows: ROWS, page: PAGE, repeats: REPEATS } };
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
};
