// A set of images' C_T curve as results carry it: C_T per layer (null where undefined), the cells
// kept per layer, and an honest note when the set is too small. A cell is kept only when more
// than tau x m = 20 of the m images fall in it, so with 20 images or fewer no cell can be kept and
// C_T is undefined at every layer, whatever the images are.
import type { CtResult } from './ct-statistic.ts';

/** The fewest images for which tau = 20/m can keep a cell (all of them in one cell). */
export const MINIMUM_CURVE_IMAGES = 21;
/** Images per curve in the method's paper (Q in batches of 500). */
export const PAPER_CURVE_IMAGES = 500;

export interface CurveValues {
  itemCount: number;
  /** C_T per layer; null where no cell is kept (undefined, never 0). */
  values: (number | null)[];
  /** Kept cells per layer. */
  keptCells: number[];
  minimumImages: number;
  note: string | null;
}

/** The curve of m images from their per-layer C_T results (none when m is below the minimum). */
export function curveValues(m: number, layers: number, results: readonly CtResult[] | null): CurveValues {
  const values = results ? results.map((r) => r.ct) : new Array<number | null>(layers).fill(null);
  const keptCells = results ? results.map((r) => r.cells.filter((cell) => cell.kept).length) : new Array<number>(layers).fill(0);
  return { itemCount: m, values, keptCells, minimumImages: MINIMUM_CURVE_IMAGES, note: curveNote(m, values) };
}

function curveNote(m: number, values: readonly (number | null)[]): string | null {
  if (m < MINIMUM_CURVE_IMAGES) {
    return (
      `${m} image${m === 1 ? '' : 's'}: a cell counts only when it holds more than 20 of the set's images (tau = 20/m), so no cell can be kept ` +
      `and C_T is undefined at every layer. At least ${MINIMUM_CURVE_IMAGES} images are needed; the method's authors used ${PAPER_CURVE_IMAGES} per curve.`
    );
  }
  const undefinedLayers = values.flatMap((value, i) => (value === null ? [i + 1] : []));
  const parts: string[] = [];
  if (undefinedLayers.length > 0) {
    parts.push(`C_T is undefined at layer${undefinedLayers.length === 1 ? '' : 's'} ${undefinedLayers.join(', ')}: no cell there holds more than 20 of the ${m} images (tau = 20/m).`);
  }
  if (m < PAPER_CURVE_IMAGES) parts.push(`Curves of ${m} images are noisier than the paper's curves of ${PAPER_CURVE_IMAGES}.`);
  return parts.length > 0 ? parts.join(' ') : null;
}
