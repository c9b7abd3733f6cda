// Cutting a published sample grid into its tiles. real-data.md allows it only at exact tile
// boundaries with the padding removed, so: the grid must be lossless (a JPEG grid's blocks
// straddle the tile edges), its size must be exactly C*w + (C+1)*p by R*h + (R+1)*p, the padding
// must be one uniform colour (otherwise the spec does not describe this image), and every tile,
// written as PNG, is decoded again and compared with the grid's pixels before it is kept.
import sharp from 'sharp';
import type { GridSpec } from './definition.ts';
import type { ImageFacts } from './image-facts.ts';

export interface Tile {
  /** 1-based, counted from the top-left. */
  row: number;
  column: number;
  width: number;
  height: number;
  png: Buffer;
}

export type GridCut = { ok: true; rows: number; columns: number; tiles: Tile[] } | { ok: false; reason: string; detail?: string };

// Fixed encoder settings: the same grid gives byte-identical tiles on every run.
const PNG_OPTIONS = { compressionLevel: 9, adaptiveFiltering: false, palette: false } as const;

function count(total: number, tile: number, padding: number): number | null {
  const n = (total - padding) / (tile + padding);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

export async function cutGrid(bytes: Buffer, facts: ImageFacts, spec: GridSpec): Promise<GridCut> {
  const { tileWidth: tw, tileHeight: th, padding: p } = spec;
  if (facts.lossy) return { ok: false, reason: `lossy grid (${facts.format}): its tiles would not be exact` };
  if (facts.depth !== 'uchar') return { ok: false, reason: `grid with ${facts.depth} samples: only 8-bit grids are cut` };
  const columns = count(facts.width, tw, p);
  const rows = count(facts.height, th, p);
  if (columns === null || rows === null) {
    return { ok: false, reason: `grid size does not match the spec (${tw}x${th} tiles, ${p} px padding)` };
  }
  if ((spec.rows !== undefined && spec.rows !== rows) || (spec.columns !== undefined && spec.columns !== columns)) {
    return { ok: false, reason: `grid has another number of tiles than the spec says (${spec.rows ?? rows}x${spec.columns ?? columns})`, detail: `${rows}x${columns} tiles` };
  }
  // Pixels exactly as stored: no colour management from an embedded profile.
  const { data, info } = await sharp(bytes, { ignoreIcc: true, limitInputPixels: false }).raw().toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const stride = info.width * ch;
  if (info.width !== facts.width || info.height !== facts.height) return { ok: false, reason: 'decoded size differs from the header' };

  const inTile = (x: number, y: number): boolean => {
    const cx = (x - p) % (tw + p);
    const cy = (y - p) % (th + p);
    return x >= p && y >= p && cx < tw && cy < th;
  };
  if (p > 0) {
    const first = data.subarray(0, ch);
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if (inTile(x, y)) continue;
        const at = y * stride + x * ch;
        for (let k = 0; k < ch; k++) {
          if (data[at + k] !== first[k]) return { ok: false, reason: `padding is not one uniform colour: not a grid of ${tw}x${th} tiles with ${p} px padding`, detail: `pixel ${x},${y}` };
        }
      }
    }
  }

  const tiles: Tile[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const left = p + c * (tw + p);
      const top = p + r * (th + p);
      const raw = Buffer.alloc(tw * th * ch);
      for (let y = 0; y < th; y++) data.copy(raw, y * tw * ch, (top + y) * stride + left * ch, (top + y) * stride + (left + tw) * ch);
      const png = await sharp(raw, { raw: { width: tw, height: th, channels: ch as 1 | 2 | 3 | 4 } }).png(PNG_OPTIONS).toBuffer();
      const check = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      if (check.info.channels !== ch || !check.data.equals(raw)) throw new Error(`tile ${r + 1},${c + 1} did not round-trip exactly through PNG`);
      tiles.push({ row: r + 1, column: c + 1, width: tw, height: th, png });
    }
  }
  return { ok: true, rows, columns, tiles };
}
