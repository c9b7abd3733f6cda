// The centred 2D log-magnitude spectrum as a PNG (viridis colours, min-max scaled), embedded in
// the report as a data: URI: one image instead of thousands of SVG cells keeps the PDF light.
import sharp from 'sharp';

/** Viridis anchor colours at 0, 0.25, 0.5, 0.75 and 1 (matplotlib), linearly interpolated. */
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function colour(t: number): readonly [number, number, number] {
  const scaled = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(scaled), VIRIDIS.length - 2);
  const f = scaled - i;
  const [a, b] = [VIRIDIS[i]!, VIRIDIS[i + 1]!];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export async function spectrumPngDataUri(size: number, values: readonly number[]): Promise<string> {
  const finite = values.filter(Number.isFinite);
  const min = Math.min(...finite);
  const span = Math.max(...finite) - min || 1;
  const rgb = Buffer.alloc(size * size * 3);
  values.forEach((v, i) => {
    const [r, g, b] = colour(Number.isFinite(v) ? (v - min) / span : 0);
    rgb[i * 3] = Math.round(r);
    rgb[i * 3 + 1] = Math.round(g);
    rgb[i * 3 + 2] = Math.round(b);
  });
  const png = await sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
