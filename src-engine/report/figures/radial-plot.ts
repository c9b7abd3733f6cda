// The azimuthally averaged spectrum of an item as an inline SVG line chart: vector graphics stay
// sharp at any zoom in the PDF, and need no script or plotting library in the report page.
import { html, joinHtml, type SafeHtml } from '../html.ts';

const W = 640;
const H = 260;
const M = { left: 58, right: 16, top: 14, bottom: 42 };

export function radialPlot(frequency: readonly number[], power: readonly number[]): SafeHtml {
  const finite = power.filter(Number.isFinite);
  if (frequency.length < 2 || finite.length < 2) return html`<p class="muted">No radial spectrum data.</p>`;
  const [yMin, yMax] = niceRange(Math.min(...finite), Math.max(...finite));
  const xMax = 0.5;
  const x = (f: number) => M.left + (f / xMax) * (W - M.left - M.right);
  const y = (p: number) => H - M.bottom - ((p - yMin) / (yMax - yMin)) * (H - M.top - M.bottom);
  const points = frequency
    .map((f, i) => [f, power[i]!] as const)
    .filter(([, p]) => Number.isFinite(p))
    .map(([f, p]) => `${x(f).toFixed(1)},${y(p).toFixed(1)}`)
    .join(' ');
  const xTicks = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
  const yTicks = ticks(yMin, yMax);
  const grid = joinHtml([
    ...xTicks.map(
      (t) => html`<line x1="${x(t)}" x2="${x(t)}" y1="${M.top}" y2="${H - M.bottom}" class="grid"/><text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${t.toFixed(1)}</text>`,
    ),
    ...yTicks.map(
      (t) => html`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${formatTick(t)}</text>`,
    ),
  ]);
  return html`<svg class="plot" viewBox="0 0 ${W} ${H}" role="img" aria-label="Radial power spectrum">
  <rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" class="frame"/>
  ${grid}
  <polyline points="${points}" class="line"/>
  <text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle" class="label">spatial frequency (cycles per pixel)</text>
  <text x="14" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" class="label" transform="rotate(-90 14 ${(M.top + H - M.bottom) / 2})">mean log10 power</text>
</svg>`;
}

function niceRange(min: number, max: number): [number, number] {
  if (max - min < 1e-9) return [min - 1, max + 1];
  const step = tickStep(max - min);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

function tickStep(span: number): number {
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalised = raw / magnitude;
  return (normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10) * magnitude;
}

function ticks(min: number, max: number): number[] {
  const step = tickStep(max - min);
  const out: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function formatTick(t: number): string {
  return Math.abs(t) >= 100 || Number.isInteger(t) ? t.toFixed(0) : t.toFixed(Math.abs(t) < 1 ? 2 : 1);
}
