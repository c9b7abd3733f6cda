// A calibration set fitted on synthetic, seeded cohort-normalised scores (same source around 0.5,
// different around 0, overlapping), validated on a second draw, for tests that need a usable calibration without
// the real-generator corpus.
import { CALIBRATION_FORMAT, CALIBRATION_VERSION, sealCalibrationSet, writeCalibrationSet, type CalibrationEntry, type CalibrationSet, type EntryKey } from '../../../src-engine/calibration/calibration-set.ts';
import { fitCalibrationEntry } from '../../../src-engine/calibration/fit-entry.ts';
import type { ScoredBag } from '../../../src-engine/calibration/leave-bag-out.ts';
import { validateEntry } from '../../../src-engine/calibration/validate-entry.ts';
import type { CompressionClass } from '../../../src-engine/conditions/observed.ts';
import { mulberry32 } from '../../../src-engine/base/seeded-random.ts';

export function normalScores(count: number, mean: number, sd: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

export const TEST_GENERATORS = 12;

/** Bags of 12 generators against all 12 entries (enough generators for LRs beyond 1/10); larger bags and entries score their own generator a little higher, as real ones do. */
export function syntheticBags(key: EntryKey, seed: number, perGenerator = 30): ScoredBag[] {
  const own = normalScores(TEST_GENERATORS * perGenerator, 0.45 + 0.05 * Math.log10(key.bagSize) + 0.1 * Math.log10(key.references), 0.1, seed);
  const other = normalScores(TEST_GENERATORS * perGenerator * TEST_GENERATORS, 0, 0.12, seed + 1);
  return own.map((score, i) => {
    const generator = i % TEST_GENERATORS;
    const scores = Array.from({ length: TEST_GENERATORS }, (_, h) => (h === generator ? score : other[i * TEST_GENERATORS + h]!));
    return { generator, compression: key.compression, minSide: 256, scores, references: scores.map(() => key.references) };
  });
}

const SCHEMES: Array<[EntryKey['pooling'], number]> = [
  ['single', 1],
  ['mean', 5],
  ['mean', 10],
  ['mean', 50],
];

export function testEntries(compressions: readonly CompressionClass[] = ['lossless', 'jpeg-mid'], references: readonly number[] = [1, 3, 10], deepsets = false): CalibrationEntry[] {
  const entries: CalibrationEntry[] = [];
  let seed = 100;
  const schemes = deepsets ? [...SCHEMES, ...[1, 5, 10, 50].map((b): [EntryKey['pooling'], number] => ['deepsets', b])] : SCHEMES;
  for (const compression of compressions) {
    for (const [pooling, bagSize] of schemes) {
      for (const r of references) {
        const key: EntryKey = { pooling, bagSize, references: r, compression };
        const entry = fitCalibrationEntry(key, syntheticBags(key, (seed += 2)), { folds: 4, seed: 0, description: `synthetic ${pooling}/${bagSize}/${r}/${compression}` })!;
        entry.validation = validateEntry(entry, syntheticBags(key, (seed += 2)));
        entries.push(entry);
      }
    }
  }
  return entries;
}

/** `setEncoder`: DeepSets entries too, fitted (nominally) for that encoder. */
export function testCalibrationSet(extractor: { name: string; sha256: string }, setEncoder: { name: string; sha256: string } | null = null): CalibrationSet {
  const entries = testEntries(undefined, undefined, setEncoder !== null);
  const members = (prefix: string) => Array.from({ length: TEST_GENERATORS }, (_, i) => ({ name: `${prefix}-${i}`, family: 'synthetic', images: 30, source: 'synthetic test scores' }));
  return sealCalibrationSet({
    format: CALIBRATION_FORMAT,
    version: CALIBRATION_VERSION,
    createdUtc: '2026-01-01T00:00:00.000Z',
    extractor,
    setEncoder,
    data: { description: 'synthetic test scores', folder: 'synthetic', manifestSha256: null, generators: TEST_GENERATORS, images: 0, unreadable: 0 },
    population: { description: `Calibration population: ${TEST_GENERATORS} synthetic test generators`, members: members('calibration') },
    validationPopulation: { description: `Validation population: ${TEST_GENERATORS} synthetic test generators`, members: members('validation') },
    protocol: { galleryImages: 10, seed: 0, folds: 4, similarity: 'cosine-minus-cohort-mean', conditions: ['as-published'], text: 'synthetic' },
    validity: { minSide: 64, minSameComparisons: 20, minGenerators: 3 },
    entries,
    notes: [],
  });
}

export function writeTestCalibration(file: string, extractor: { name: string; sha256: string }, setEncoder: { name: string; sha256: string } | null = null): CalibrationSet {
  const set = testCalibrationSet(extractor, setEncoder);
  writeCalibrationSet(file, set);
  return set;
}
