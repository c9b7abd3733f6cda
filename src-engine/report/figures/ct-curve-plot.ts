// A set's C_T curve (one value per encoder layer) against the gallery models' curves. The best
// matches are drawn in colour and named in the legend, the rest in grey as the population the set
// is compared with. A layer where C_T is undefined (no cell kept) is a gap in the line and a
// cross on the axis: never drawn as 0.
import { html, joinHtml, type SafeHtml } from '../html.ts';
import { niceRange, ticks } from './axes.ts';
import { chart, polylinePoints, type Chart } from './chart.ts';

export interface CurveLine {
  label: string;
  values: ReadonlyArray<number | null>;
}

/** Colours of the highlighted gallery curves, in match order. */
const MATCH_CLASSES = ['m1', 'm2', 'm3'] as const;

export function ctCurvePlot(caseCurve: CurveLine, gallery: readonly CurveLine[], highlighted: readonly string[]): SafeHtml {
  const layers = caseCurve.values.length;
  const all = [caseCurve, ...gallery].flatMap((line) => line.values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (layers < 2 || all.length === 0) return html`<p class="muted">No C<sub>T</sub> values to plot.</p>`;
  const [yMin, yMax] = niceRange(Math.min(0, ...all), Math.max(0, ...all));
  const shown = highlighted.slice(0, MATCH_CLASSES.length);
  const coloured = shown.flatMap((label, i) => {
    const line = gallery.find((g) => g.label === label);
    return line ? [{ line, cls: MATCH_CLASSES[i]! }] : [];
  });
  const grey = gallery.filter((line) => !coloured.some((c) => c.line === line));
  const c = chart({
    width: 640,
    height: 300,
    margin: { left: 58, right: 16, top: 10, bottom: 42 },
    x: { range: [0.5, layers + 0.5], ticks: Array.from({ length: layers }, (_, i) => i + 1), label: 'encoder layer (CLS token after block)', format: (t) => String(t) },
    y: { range: [yMin, yMax], ticks: ticks(yMin, yMax), label: html`C<tspan baseline-shift="sub" font-size="75%">T</tspan> (Mann-Whitney z)` },
    ariaLabel: 'C_T curves',
    legend: [
      { label: caseCurve.label, cls: 'curve case' },
      ...coloured.map(({ line, cls }) => ({ label: clip(line.label, 44), cls: `curve ${cls}` })),
      ...(grey.length > 0 ? [{ label: 'other gallery models', cls: 'curve other' }] : []),
    ],
  });
  return c.svg(html`<line x1="${c.left}" x2="${c.right}" y1="${c.y(0)}" y2="${c.y(0)}" class="zero"/>
  ${grey.map((line) => segments(c, line.values, 'curve other'))}
  ${coloured.map(({ line, cls }) => segments(c, line.values, `curve ${cls}`))}
  ${segments(c, caseCurve.values, 'curve case')}
  ${undefinedMarks(c, caseCurve.values)}`);
}

/** One polyline per run of defined values, with a dot on each point (a run may be one layer long). */
function segments(c: Chart, values: ReadonlyArray<number | null>, cls: string): SafeHtml {
  const runs: Array<Array<readonly [number, number]>> = [];
  let run: Array<readonly [number, number]> = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push([c.x(i + 1), c.y(v)]);
  });
  if (run.length > 0) runs.push(run);
  return joinHtml(
    runs.map(
      (points) =>
        html`<polyline points="${polylinePoints(points)}" class="${cls}"/>${points.map(([px, py]) => html`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="${cls.includes('case') ? 3 : 2}" class="${cls} dot"/>`)}`,
    ),
  );
}

function undefinedMarks(c: Chart, values: ReadonlyArray<number | null>): SafeHtml {
  return joinHtml(
    values.flatMap((v, i) => {
      if (v !== null && Number.isFinite(v)) return [];
      const px = c.x(i + 1);
      const py = c.bottom - 8;
      return [html`<path d="M${px - 4},${py - 4} L${px + 4},${py + 4} M${px - 4},${py + 4} L${px + 4},${py - 4}" class="undefined"/>`];
    }),
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
