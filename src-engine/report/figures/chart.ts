// The frame every report chart is drawn in: an inline SVG with a plot area, grid lines, tick
// labels and axis titles, and the linear scales that map data onto it. Vector graphics stay sharp
// at any zoom in the PDF and need no script or plotting library in the report page.
import { html, joinHtml, type SafeHtml } from '../html.ts';
import { formatTick } from './axes.ts';

export interface ChartSpec {
  width: number;
  height: number;
  margin: { left: number; right: number; top: number; bottom: number };
  x: { range: readonly [number, number]; ticks: readonly number[]; label: string; format?: (t: number) => string };
  /** Markup where the label needs it (a subscript), else text. */
  y: { range: readonly [number, number]; ticks: readonly number[]; label: string | SafeHtml; format?: (t: number) => string };
  ariaLabel: string;
  /** Keys drawn in a row above the plot area, so they never hide data. */
  legend?: readonly LegendEntry[];
}

/** One key: a short line in the mark's class, then its label. */
export interface LegendEntry {
  label: string;
  cls: string;
}

/** Legend rows sit in the top margin, this far apart. */
const LEGEND_ROW = 16;

export interface Chart {
  /** Data to SVG coordinates. */
  x(value: number): number;
  y(value: number): number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** The whole <svg>, with the given marks drawn over the grid and under nothing. */
  svg(marks: SafeHtml): SafeHtml;
}

export function chart(spec: ChartSpec): Chart {
  const { width: W, margin: M } = spec;
  const legend = legendLayout(spec.legend ?? [], M.left, W - M.right);
  const H = spec.height + legend.height;
  const [x0, x1] = spec.x.range;
  const [y0, y1] = spec.y.range;
  const left = M.left;
  const right = W - M.right;
  const top = M.top + legend.height;
  const bottom = H - M.bottom;
  const x = (v: number) => left + ((v - x0) / (x1 - x0)) * (right - left);
  const y = (v: number) => bottom - ((v - y0) / (y1 - y0)) * (bottom - top);
  const xFormat = spec.x.format ?? formatTick;
  const yFormat = spec.y.format ?? formatTick;
  const grid = joinHtml([
    ...spec.x.ticks.map(
      (t) => html`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${bottom}" class="grid"/><text x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${xFormat(t)}</text>`,
    ),
    ...spec.y.ticks.map(
      (t) => html`<line x1="${left}" x2="${right}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${yFormat(t)}</text>`,
    ),
  ]);
  const middleY = (top + bottom) / 2;
  return {
    x,
    y,
    left,
    right,
    top,
    bottom,
    svg: (marks) => html`<svg class="plot" viewBox="0 0 ${W} ${H}" role="img" aria-label="${spec.ariaLabel}">
  <rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" class="frame"/>
  ${grid}
  ${marks}
  ${legend.marks}
  <text x="${(left + right) / 2}" y="${H - 6}" text-anchor="middle" class="label">${spec.x.label}</text>
  <text x="14" y="${middleY}" text-anchor="middle" class="label" transform="rotate(-90 14 ${middleY})">${spec.y.label}</text>
</svg>`,
  };
}

/** "x,y x,y ..." for a polyline, one decimal: enough at print resolution, and a lighter PDF. */
export function polylinePoints(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
}

/** Keys left to right, wrapping to a new row when the next would pass the plot's right edge. */
function legendLayout(entries: readonly LegendEntry[], left: number, right: number): { height: number; marks: SafeHtml } {
  if (entries.length === 0) return { height: 0, marks: html`` };
  let x = left;
  let row = 0;
  const marks = entries.map((entry) => {
    // DejaVu Sans at 11px averages about 6.3px a character.
    const width = 30 + entry.label.length * 6.3 + 16;
    if (x > left && x + width > right) {
      x = left;
      row++;
    }
    const y = 8 + row * LEGEND_ROW;
    const mark = html`<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" class="${entry.cls}"/><text x="${x + 28}" y="${y + 4}">${entry.label}</text>`;
    x += width;
    return mark;
  });
  return { height: (row + 1) * LEGEND_ROW, marks: joinHtml(marks) };
}
