// Spectrum views from the model's own `spectrum` output (what the encoder sees), so the picture
// an examiner looks at is the evidence the fingerprint was computed from:
// - 2-D: log10(|DFT| + 1e-3) averaged over channels, crops and images, fftshifted (DC at 64,64);
// - radial: the same map's power (2 x log10 magnitude) averaged over rings of equal frequency;
// - residual: the centre crop's noise residual, contrast-stretched to 8 bits.
import sharp from 'sharp';
import { CROP, CROP_VALUES } from './crops.ts';
import { prepareCrops, SPECTRUM_EPSILON, type FingerprintExtractor, type SpectrumForm } from './extractor.ts';
import { prefetched } from '../base/prefetch.ts';

const PLANE = CROP * CROP;

export interface Spectra {
  crops: number;
  spectrum2d: { size: number; values: number[] };
  radial: { frequency: number[]; power: number[] };
  residualPng: Uint8Array | null;
}

/** log10(|DFT| + eps) of one spectrum value, whichever form the model outputs. */
function log10Magnitude(value: number, form: SpectrumForm): number {
  return form === 'log-magnitude' ? value / Math.LN10 : Math.log10(Math.max(0, value) + SPECTRUM_EPSILON);
}

/** Signed frequency (cycles per pixel) of each of the 128 output bins of an h-point DFT resized by nearest. */
function binFrequencies(h: number): number[] {
  return Array.from({ length: CROP }, (_, k) => {
    const source = Math.floor((k * h) / CROP);
    return (source <= h / 2 ? source : source - h) / h;
  });
}

/** Output bins that are the first copy of their source bin (the nearest resize repeats some). */
function distinctBins(h: number): number[] {
  return Array.from({ length: CROP }, (_, k) => k).filter((k) => k === 0 || Math.floor((k * h) / CROP) !== Math.floor(((k - 1) * h) / CROP));
}

export class SpectrumAccumulator {
  private readonly sum = new Float64Array(PLANE);
  private planes = 0;
  private cropCount = 0;
  private readonly residualSize: number;
  private readonly form: SpectrumForm;

  constructor(residualSize: number, form: SpectrumForm) {
    this.residualSize = residualSize;
    this.form = form;
  }

  /** Adds the `spectrum` output of `crops` crops ([crops,3,128,128]). */
  add(spectrum: Float32Array, crops: number): void {
    for (let p = 0; p < crops * 3; p++) {
      const base = p * PLANE;
      for (let i = 0; i < PLANE; i++) this.sum[i]! += log10Magnitude(spectrum[base + i]!, this.form);
    }
    this.planes += crops * 3;
    this.cropCount += crops;
  }

  get crops(): number {
    return this.cropCount;
  }

  /** Mean log10 magnitude, uncentred (DC at [0,0]) like the model's output. */
  private mean(): Float64Array {
    return this.sum.map((v) => v / Math.max(1, this.planes));
  }

  centred(): { size: number; values: number[] } {
    const mean = this.mean();
    const half = CROP / 2;
    const values = new Array<number>(PLANE);
    for (let i = 0; i < CROP; i++) {
      for (let j = 0; j < CROP; j++) values[((i + half) % CROP) * CROP + ((j + half) % CROP)] = mean[i * CROP + j]!;
    }
    return { size: CROP, values };
  }

  /** Rings one source-frequency step wide (1/h), each source bin counted once, 0..0.5 cycles/pixel. */
  radial(): { frequency: number[]; power: number[] } {
    const h = this.residualSize;
    const mean = this.mean();
    const frequencyOf = binFrequencies(h);
    const bins = distinctBins(h);
    const rings = Math.floor(h / 2);
    const frequencySum = new Float64Array(rings);
    const powerSum = new Float64Array(rings);
    const members = new Uint32Array(rings);
    for (const i of bins) {
      for (const j of bins) {
        const f = Math.hypot(frequencyOf[i]!, frequencyOf[j]!);
        if (f > 0.5) continue;
        const ring = Math.min(rings - 1, Math.floor(f * 2 * rings));
        frequencySum[ring]! += f;
        powerSum[ring]! += 2 * mean[i * CROP + j]!;
        members[ring]!++;
      }
    }
    const used = [...members.keys()].filter((r) => members[r]! > 0);
    return { frequency: used.map((r) => frequencySum[r]! / members[r]!), power: used.map((r) => powerSum[r]! / members[r]!) };
  }
}

/** One crop's residual (mean over channels) as a greyscale PNG stretched from its 1st to 99th percentile. */
export async function residualPng(residual: Float32Array, crop: number, h: number): Promise<Uint8Array> {
  const size = h * h;
  const grey = new Float32Array(size);
  for (let c = 0; c < 3; c++) {
    const base = (crop * 3 + c) * size;
    for (let i = 0; i < size; i++) grey[i]! += residual[base + i]! / 3;
  }
  const sorted = Float32Array.from(grey).sort();
  const low = sorted[Math.floor(0.01 * (size - 1))]!;
  const high = sorted[Math.ceil(0.99 * (size - 1))]!;
  const scale = high > low ? 255 / (high - low) : 0;
  const pixels = Buffer.from(Uint8ClampedArray.from(grey, (v) => Math.round((v - low) * scale)));
  return new Uint8Array(await sharp(pixels, { raw: { width: h, height: h, channels: 1 } }).toColourspace('b-w').png().toBuffer());
}

/**
 * Spectra of images 0..count-1 averaged together; the residual picture only for a single image.
 * Throws (naming the image) if one cannot be read or decoded: a silent gap would skew the average.
 */
export async function computeSpectra(
  extractor: FingerprintExtractor,
  count: number,
  load: (index: number) => Promise<Uint8Array>,
  options: { signal?: AbortSignal; describe?: (index: number) => string } = {},
): Promise<Spectra> {
  const describe = options.describe ?? ((index: number) => `image ${index}`);
  const { residualSize, spectrumForm } = extractor.facts;
  const accumulator = new SpectrumAccumulator(residualSize, spectrumForm);
  let picture: Uint8Array | null = null;
  for await (const image of prefetched(count, (index) => prepareCrops(index, load), 2)) {
    options.signal?.throwIfAborted();
    if (!image.ok) throw new Error(`${describe(image.index)} cannot be used: ${image.message}`);
    const single = count === 1;
    const out = await extractor.run(image.crops, image.count, single ? ['spectrum', 'residual'] : ['spectrum']);
    accumulator.add(out.spectrum!.subarray(0, image.count * CROP_VALUES), image.count);
    if (single) picture = await residualPng(out.residual!, image.centre, residualSize);
  }
  return { crops: accumulator.crops, spectrum2d: accumulator.centred(), radial: accumulator.radial(), residualPng: picture };
}
