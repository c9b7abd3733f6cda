// Run as a child process by the record-digest kill test, which kills it with SIGKILL mid-run.
// Usage: node fingerprint-child.ts <library home> <case id>
// Prints one line per saved fingerprint ("saved <n>") so the parent can pick its moment.
import { Library } from '../../../src-engine/cases/library.ts';
import { fingerprintEvidence } from '../../../src-engine/fingerprint/fingerprint-job.ts';
import { FingerprintService } from '../../../src-engine/fingerprint/fingerprint-service.ts';

const [home, caseId] = process.argv.slice(2);
if (!home || !caseId) throw new Error('usage: fingerprint-child.ts <home> <case id>');
const library = new Library(home);
await fingerprintEvidence(library.openCase(caseId), new FingerprintService(), {
  actor: 'kill-test',
  onProgress: (p) => process.stdout.write(`saved ${p.counts.computed}\n`),
});
library.close();
process.stdout.write('finished\n');
