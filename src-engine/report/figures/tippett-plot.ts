// A calibration's Tippett plot: for every log10 LR threshold, the share of same-model and of
// different-model comparisons in the calibration data whose log10 LR is at least that high. The
// item's own log10 LR is marked, with the ±1 lines where the decision rule turns from
// inconclusive to a finding, so a reader sees where this result sits among the validation data.
import type { TippettCurve } from '../../calibration/tippett.ts';
import { html, type SafeHtml } from '../html.ts';
import { niceRange, ticks } from './axes.ts';
import { chart, polylinePoints, type Chart } from './chart.ts';

/** At most this many steps per curve: more is invisible at print size and only weighs the PDF. */
const MAX_STEPS = 400;

export interface TippettMarker {
  log10Lr: number;
  label: string;
}

export function tippettPlot(curve: TippettCurve, marker: TippettMarker | null): SafeHtml {
  const finite = curve.thresholds.filter(Number.isFinite);
  if (finite.length < 2) return html`<p class="muted">No Tippett data.</p>`;
  const lows = [finite[0]!, -1, ...(marker ? [marker.log10Lr] : [])];
  const highs = [finite.at(-1)!, 1, ...(marker ? [marker.log10Lr] : [])];
  const [xMin, xMax] = niceRange(Math.min(...lows), Math.max(...highs));
  const c = chart({
    width: 640,
    height: 280,
    margin: { left: 58, right: 16, top: 10, bottom: 42 },
    x: { range: [xMin, xMax], ticks: ticks(xMin, xMax), label: 'log10 likelihood ratio (threshold t)' },
    y: { range: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], label: 'share with log10 LR ≥ t', format: (t) => t.toFixed(1) },
    ariaLabel: 'Tippett plot',
    legend: [
      { label: 'same model (Hp true)', cls: 'line' },
      { label: 'different model (Hd true)', cls: 'line alt' },
      { label: '±1: decision thresholds', cls: 'guide' },
      ...(marker ? [{ label: 'this result', cls: 'marker' }] : []),
    ],
  });
  const steps = (shares: readonly number[]) => {
    const points: Array<readonly [number, number]> = [[c.x(xMin), c.y(1)]];
    let previous = 1;
    for (const i of sampledIndices(curve.thresholds.length)) {
      const t = c.x(curve.thresholds[i]!);
      points.push([t, c.y(previous)], [t, c.y(shares[i]!)]);
      previous = shares[i]!;
    }
    // Above the largest observed LR no comparison remains.
    const last = c.x(curve.thresholds.at(-1)!) + 0.5;
    points.push([last, c.y(previous)], [last, c.y(0)], [c.x(xMax), c.y(0)]);
    return polylinePoints(points);
  };
  const guide = (t: number) => html`<line x1="${c.x(t)}" x2="${c.x(t)}" y1="${c.top}" y2="${c.bottom}" class="guide"/>`;
  const markerMark = marker && markerLine(c, marker);
  return c.svg(html`${guide(-1)}${guide(1)}
  <polyline points="${steps(curve.differentAtLeast)}" class="line alt"/>
  <polyline points="${steps(curve.sameAtLeast)}" class="line"/>
  ${markerMark}`);
}

/** The result's dashed line, labelled on the side with more room, a white halo keeping the label legible over curves. */
function markerLine(c: Chart, marker: TippettMarker): SafeHtml {
  const x = c.x(marker.log10Lr);
  const onRight = x > (c.left + c.right) / 2;
  return html`<line x1="${x}" x2="${x}" y1="${c.top}" y2="${c.bottom}" class="marker"/>
  <text x="${x + (onRight ? -6 : 6)}" y="${(c.top + c.bottom) / 2}" text-anchor="${onRight ? 'end' : 'start'}" class="marker-label">${marker.label}</text>`;
}

/** Every index when there are few, else an even spread that always keeps the first and last. */
function sampledIndices(count: number): number[] {
  if (count <= MAX_STEPS) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: MAX_STEPS }, (_, k) => Math.round((k * (count - 1)) / (MAX_STEPS - 1)));
}

/**
 * How many comparisons of each kind gave an LR at least as extreme as a result: for a result
 * favouring Hp, the shares with log10 LR >= t, t the last grid threshold not above it; for one
 * favouring Hd, the shares with log10 LR < t, t the first threshold above it. Either way the
 * result's own level is inside the tail; the figures are exact for t, which the caption states.
 */
export function tailBeyond(curve: TippettCurve, log10Lr: number): { above: boolean; threshold: number; same: number; different: number } | null {
  const { thresholds: t, sameAtLeast, differentAtLeast } = curve;
  if (log10Lr >= 0) {
    const i = t.findLastIndex((threshold) => threshold <= log10Lr);
    return i === -1 ? null : { above: true, threshold: t[i]!, same: sameAtLeast[i]!, different: differentAtLeast[i]! };
  }
  const i = t.findIndex((threshold) => threshold > log10Lr);
  return i === -1 ? null : { above: false, threshold: t[i]!, same: 1 - sameAtLeast[i]!, different: 1 - differentAtLeast[i]! };
}
