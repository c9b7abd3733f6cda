// A calibration set fitted on synthetic, seeded scores (same source around 0.75, different around
// 0.35, overlapping), for tests that need a usable calibration without the rendered data set.
import { BAG_SIZES, CALIBRATION_FORMAT, CALIBRATION_VERSION, sealCalibrationSet, writeCalibrationSet, type CalibrationSet, type Pooling } from '../../../src-engine/calibration/calibration-set.ts';
import { fitCalibrationEntry, type ScoredComparisons } from '../../../src-engine/calibration/fit-entry.ts';
import { mulberry32 } from '../../../src-engine/evaluation/seeded-random.ts';

export function normalScores(count: number, mean: number, sd: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

/** Comparisons of 8 generators; larger bags score their own generator a little higher, as real bags do. */
export function syntheticComparisons(bagSize: number, seed: number): ScoredComparisons {
  const same = normalScores(240, 0.7 + 0.05 * Math.log10(bagSize), 0.1, seed);
  const different = normalScores(1680, 0.35, 0.12, seed + 1);
  return { same, sameGenerator: same.map((_, i) => i % 8), different, differentGenerator: different.map((_, i) => i % 8) };
}

export function testCalibrationSet(extractor: { name: string; sha256: string }, setEncoder: { name: string; sha256: string } | null = null): CalibrationSet {
  const schemes: Array<[Pooling, number]> = [['single', 1], ...BAG_SIZES.filter((b) => b > 1).map((b): [Pooling, number] => ['mean', b])];
  if (setEncoder) schemes.push(...BAG_SIZES.map((b): [Pooling, number] => ['deepsets', b]));
  return sealCalibrationSet({
    format: CALIBRATION_FORMAT,
    version: CALIBRATION_VERSION,
    createdUtc: '2026-01-01T00:00:00.000Z',
    extractor,
    setEncoder,
    data: { description: 'synthetic test scores', folder: 'synthetic', manifestSha256: null, generators: 8, images: 0, unreadable: 0 },
    protocol: { galleryImages: 10, seed: 0, folds: 4, similarity: 'cosine', text: 'synthetic' },
    entries: schemes.map(([pooling, bagSize], i) => fitCalibrationEntry(pooling, bagSize, syntheticComparisons(bagSize, 100 + i), `synthetic ${pooling}/${bagSize}`, 4)),
    notes: [],
  });
}

export function writeTestCalibration(file: string, extractor: { name: string; sha256: string }, setEncoder: { name: string; sha256: string } | null = null): CalibrationSet {
  const set = testCalibrationSet(extractor, setEncoder);
  writeCalibrationSet(file, set);
  return set;
}
