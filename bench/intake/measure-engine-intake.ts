// Child process: imports a folder into a fresh case through the engine's real intake path
// (hash while copying, sniff, decode, thumbnail, transactional commits). Prints one JSON line.
// Usage: node measure-engine-intake.ts <image folder> <scratch folder>
import { Library } from '../../src-engine/cases/library.ts';
import { importEvidence } from '../../src-engine/evidence/intake.ts';
import { quarterMarker, RssSampler } from '../rss-sampler.ts';
import { startClocks, type IntakeMeasurement } from './measurement.ts';

const [imageDir, scratch] = process.argv.slice(2);
if (!imageDir || !scratch) throw new Error('usage: measure-engine-intake.ts <image folder> <scratch folder>');

const library = new Library(scratch);
const { id } = library.createCase({ number: 'BENCH', title: 'Intake benchmark', examiner: 'bench', description: '' }, 'bench');
const handle = library.openCase(id);
const sampler = new RssSampler();
let mark: ((done: number) => void) | undefined;
const stopClocks = startClocks();
const outcome = await importEvidence(handle, [imageDir], {
  actor: 'bench',
  onProgress: (p) => {
    mark ??= quarterMarker(sampler, p.total);
    mark(p.done);
  },
});
const timing = stopClocks(outcome.total);
const rss = sampler.stop();
library.close();
if (outcome.counts.imported !== outcome.total) throw new Error(`only ${outcome.counts.imported} of ${outcome.total} imported`);
const result: IntakeMeasurement = { ...timing, rss };
process.stdout.write(`${JSON.stringify(result)}\n`);
