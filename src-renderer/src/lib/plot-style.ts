// One look for every chart: the app's colours and type (global.css), quiet grids, no plotly
// branding, and frequency axes labelled the same way everywhere.
import type { Config, Layout, LayoutAxis } from 'plotly.js-dist';

const TEXT = '#1b2430';
const MUTED = '#5b6675';
const GRID = '#eceef2';
const AXIS_LINE = '#b8bfc9';

/** Trace colours of the two comparison slots, also used for their labels so each reads as a key. */
export const SLOT_COLOURS = { A: '#2463d6', B: '#d9480f' } as const;
/** A single spectrum's line, when no comparison is in play. */
export const SINGLE_COLOUR = '#1b2430';

/** Perceptually even, readable in print: magnitudes from dark (low) to bright (high). */
export const MAGNITUDE_COLOURSCALE = 'Viridis';
/** Diverging around zero for A − B: blue where A is stronger, red where B is. */
export const DIFFERENCE_COLOURSCALE: Array<[number, string]> = [
  [0, '#b2182b'],
  [0.25, '#ef8a62'],
  [0.5, '#f7f7f7'],
  [0.75, '#67a9cf'],
  [1, '#2166ac'],
];

export const PLOT_CONFIG: Partial<Config> = {
  displaylogo: false,
  // An offline forensic tool offers no upload: plotly's default toolbar has a "Share chart" button
  // that sends the figure to Plotly Cloud, and links out to its chart studio.
  showSendToCloud: false,
  plotlyServerURL: '',
  // Always shown, in a strip of its own above the title and legend (chartLayout), so it covers neither.
  displayModeBar: true,
  // Selection tools mean nothing on a spectrum; zoom, pan, reset and image export stay.
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d'],
  // The chart component resizes plots with their container; plotly's own option only follows the window.
  responsive: false,
};

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', size: 11, color: TEXT };

/** Height of plotly's toolbar: the top margin grows by this, so titles and legends sit below it. */
export const MODEBAR_ROOM = 26;

export function chartLayout(layout: Partial<Layout>): Partial<Layout> {
  const margin = { l: 52, r: 12, t: 28, b: 40, ...layout.margin };
  return {
    autosize: true,
    font: FONT,
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#ffffff',
    showlegend: false,
    hoverlabel: { font: { ...FONT, color: '#ffffff' }, bordercolor: '#ffffff' },
    modebar: { bgcolor: 'rgba(0,0,0,0)', color: MUTED, activecolor: TEXT },
    ...layout,
    margin: { ...margin, t: margin.t + MODEBAR_ROOM },
  };
}

export function chartTitle(text: string): Partial<Layout>['title'] {
  return { text: `<b>${text}</b>`, font: FONT, x: 0, xref: 'paper', y: 1, yref: 'paper', yanchor: 'bottom', pad: { b: 6 } };
}

export function valueAxis(title: string, extra: Partial<LayoutAxis> = {}): Partial<LayoutAxis> {
  return {
    title: { text: title, font: { ...FONT, color: MUTED }, standoff: 6 },
    gridcolor: GRID,
    linecolor: AXIS_LINE,
    zeroline: false,
    ticks: 'outside',
    tickcolor: AXIS_LINE,
    ticklen: 4,
    ...extra,
  };
}

/** Spatial frequency in cycles per pixel: 0.5 is the Nyquist limit, where upsampling traces show. */
export function frequencyAxis(title: string, range: [number, number], extra: Partial<LayoutAxis> = {}): Partial<LayoutAxis> {
  // '~g' drops trailing zeros (0.5, 0.25, 0): short labels that do not collide between small panels.
  return valueAxis(title, { range, dtick: 0.25, tickformat: '~g', ...extra });
}

/** Categorical colours for model families (Okabe–Ito, readable by colour-blind examiners), in order of first appearance. */
const FAMILY_PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7f5a2e', '#8a8f99'] as const;

/** One colour per family name, by the names' sorted order: a family has the same colour on every screen. */
export function familyColours(families: readonly string[]): Map<string, string> {
  const distinct = [...new Set(families)].sort();
  return new Map(distinct.map((family, i) => [family, FAMILY_PALETTE[i % FAMILY_PALETTE.length]!]));
}

/** Horizontal legend above the plot area, right-aligned, as on the spectrum charts: for a few short entries. */
export const TOP_LEGEND: Partial<Layout>['legend'] = { orientation: 'h', x: 1, xanchor: 'right', y: 1, yanchor: 'bottom', bgcolor: 'rgba(0,0,0,0)' };

/** A column of entries right of the plot: for long names (model families), which would collide with the title above. */
export const SIDE_LEGEND: Partial<Layout>['legend'] = { orientation: 'v', x: 1.01, xanchor: 'left', y: 1, yanchor: 'top', bgcolor: 'rgba(0,0,0,0)' };

/** Text for plotly labels, which read a little HTML: a model name must never be taken for markup. */
export function plotText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A model's name as an axis label in its family's colour, so the family reads off the axis. */
export function familyLabel(name: string, colour: string | undefined): string {
  return colour ? `<span style="color:${colour}">${plotText(name)}</span>` : plotText(name);
}

/** An axis range around the values with a margin, so points and their labels stay inside the plot. */
export function paddedRange(values: readonly number[], share = 0.08): [number, number] {
  if (values.length === 0) return [0, 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low || 1) * share;
  return [low - pad, high + pad];
}
