// Spectra and extractor facts from the engine, kept for the session: the spectrum of a set of
// items depends only on their pixels and the extractor, so flipping between views, or between a
// comparison and its slots, does not recompute it. Failures are not kept: a retry may succeed
// (after fingerprinting, say).
import type { ModelInfo, SpectrumSet } from '../../../src-engine/api/contract.ts';
import { api } from '../api/index.ts';

/** The most items one getSpectra call averages (the contract's limit). */
export const MAX_SPECTRA_ITEMS = 500;
/** Sets kept; each holds one 2D spectrum (tens of thousands of numbers). */
const KEPT_SETS = 16;

const kept = new Map<string, Promise<SpectrumSet>>();

export function loadSpectra(caseId: string, itemIds: readonly number[]): Promise<SpectrumSet> {
  const key = `${caseId}:${[...itemIds].sort((a, b) => a - b).join(',')}`;
  const known = kept.get(key);
  if (known) {
    // Most recently used last, so the oldest goes first.
    kept.delete(key);
    kept.set(key, known);
    return known;
  }
  const loading = api.getSpectra({ caseId, itemIds: [...itemIds] });
  kept.set(key, loading);
  loading.catch(() => kept.get(key) === loading && kept.delete(key));
  while (kept.size > KEPT_SETS) kept.delete(kept.keys().next().value as string);
  return loading;
}

let modelInfo: Promise<ModelInfo> | null = null;

/** The installed extractor, to put a name to the sha256 a spectrum or fingerprint carries. */
export function loadModelInfo(): Promise<ModelInfo> {
  modelInfo ??= api.getModelInfo({});
  modelInfo.catch(() => (modelInfo = null));
  return modelInfo;
}

/** Element-wise a − b of two spectra of the same size. */
export function spectrumDifference(a: SpectrumSet, b: SpectrumSet): number[] {
  if (a.spectrum2d.size !== b.spectrum2d.size) {
    throw new Error(`the spectra have different sizes (${a.spectrum2d.size} and ${b.spectrum2d.size} px)`);
  }
  return a.spectrum2d.values.map((value, i) => value - (b.spectrum2d.values[i] ?? 0));
}

/** The smallest and largest of all values, for a colour scale shared by several heatmaps. */
export function valueRange(...series: ReadonlyArray<readonly number[]>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const values of series) {
    for (const value of values) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return [min, max];
}
