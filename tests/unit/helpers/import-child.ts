// Run as a child process by the crash-consistency test, which kills it with SIGKILL mid-import.
// Usage: node import-child.ts <library home> <case id> <folder>
// Prints one line per finished file ("committed <n>") so the parent can pick its moment.
import { Library } from '../../../src-engine/cases/library.ts';
import { importEvidence } from '../../../src-engine/evidence/intake.ts';

const [home, caseId, folder] = process.argv.slice(2);
if (!home || !caseId || !folder) throw new Error('usage: import-child.ts <home> <case id> <folder>');
const library = new Library(home);
let reported = -1;
await importEvidence(library.openCase(caseId), [folder], {
  actor: 'crash-test',
  onProgress: (p) => {
    const committed = p.counts.imported + p.counts.notAnalysable;
    if (committed === reported) return;
    reported = committed;
    process.stdout.write(`committed ${committed}\n`);
  },
});
library.close();
process.stdout.write('finished\n');
