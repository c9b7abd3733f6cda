// Model cards of the installed models (every *.md in the models folder), read for the report's
// methods section: training data, test results, known failure modes, weights hash, parameters.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelCard } from './report-data.ts';

export function readModelCards(modelsDir: string | null): ModelCard[] {
  if (!modelsDir || !fs.existsSync(modelsDir)) return [];
  return fs
    .readdirSync(modelsDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((file) => {
      const bytes = fs.readFileSync(path.join(modelsDir, file));
      return { file, sha256: createHash('sha256').update(bytes).digest('hex'), markdown: bytes.toString('utf8') };
    });
}
