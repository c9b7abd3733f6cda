// The azimuthally averaged spectrum of an item as an SVG line chart.
import { html, type SafeHtml } from '../html.ts';
import { niceRange, ticks } from './axes.ts';
import { chart, polylinePoints } from './chart.ts';

export function radialPlot(frequency: readonly number[], power: readonly number[]): SafeHtml {
  const finite = power.filter(Number.isFinite);
  if (frequency.length < 2 || finite.length < 2) return html`<p class="muted">No radial spectrum data.</p>`;
  const [yMin, yMax] = niceRange(Math.min(...finite), Math.max(...finite));
  const c = chart({
    width: 640,
    height: 260,
    margin: { left: 58, right: 16, top: 14, bottom: 42 },
    x: { range: [0, 0.5], ticks: [0, 0.1, 0.2, 0.3, 0.4, 0.5], label: 'spatial frequency (cycles per pixel)', format: (t) => t.toFixed(1) },
    y: { range: [yMin, yMax], ticks: ticks(yMin, yMax), label: 'mean log10 power' },
    ariaLabel: 'Radial power spectrum',
  });
  const points = frequency
    .map((f, i) => [f, power[i]!] as const)
    .filter(([, p]) => Number.isFinite(p))
    .map(([f, p]) => [c.x(f), c.y(p)] as const);
  return c.svg(html`<polyline points="${polylinePoints(points)}" class="line"/>`);
}
