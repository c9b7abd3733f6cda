// What plotly actually drew in a chart of the app, so tests check the picture, not just its box.
import type { Locator } from 'playwright-core';

export interface DrawnChart {
  traces: Array<{ type: string; name: string; points: number }>;
  svg: boolean;
  heatmapImages: number;
  lines: number;
  legendEntries: number;
  /** Tick labels of the y axis as drawn (category names, leaf names). */
  yTickLabels: string[];
  /** Axis titles as drawn. */
  axisTitles: string[];
  /** The toolbar's buttons by their tooltip. */
  toolbar: string[];
  /** Title, legend and axis-title elements that the toolbar's box overlaps. */
  coveredByToolbar: string[];
}

/** Waits until plotly has drawn the chart with this test id inside `scope`, then describes it. */
export async function drawnChart(scope: Locator, testid: string): Promise<DrawnChart> {
  const chart = scope.locator(`[data-testid=${testid}][data-drawn=true]`);
  await chart.waitFor();
  return chart.evaluate((element) => {
    const plot = element.querySelector('.js-plotly-plot') as (HTMLElement & { data: Array<Record<string, unknown>> }) | null;
    if (!plot) throw new Error('no plotly graph in the chart');
    return {
      traces: plot.data.map((trace) => ({
        type: String(trace.type),
        name: String(trace.name ?? ''),
        points: ((trace.type === 'heatmap' ? trace.z : trace.x) as unknown[]).length,
      })),
      svg: plot.querySelector('svg.main-svg') !== null,
      heatmapImages: plot.querySelectorAll('.hm image').length,
      lines: plot.querySelectorAll('.scatterlayer path.js-line').length,
      legendEntries: plot.querySelectorAll('.legend .traces').length,
      yTickLabels: [...plot.querySelectorAll('.yaxislayer-above .ytick text, .yaxislayer-above .y2tick text')].map((text) => text.textContent ?? ''),
      axisTitles: [...plot.querySelectorAll('.g-xtitle text, .g-ytitle text')].map((text) => text.textContent ?? ''),
      toolbar: [...plot.querySelectorAll('.modebar-btn')].map((button) => button.getAttribute('data-title') ?? ''),
      coveredByToolbar: (() => {
        const bar = plot.querySelector('.modebar');
        if (!bar) return [];
        const b = bar.getBoundingClientRect();
        return [...plot.querySelectorAll('.gtitle, .legend .traces, .g-xtitle, .g-ytitle')]
          .filter((e) => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top;
          })
          .map((e) => `${e.getAttribute('class')}: ${e.textContent ?? ''}`);
      })(),
    };
  });
}

/** An offline tool's chart: no upload or sharing button, and a toolbar that hides no title or legend. */
export function assertOfflineToolbar(chart: DrawnChart): void {
  const outward = chart.toolbar.filter((title) => /share|cloud|studio|edit/i.test(title));
  if (outward.length > 0) throw new Error(`the chart's toolbar offers ${outward.join(', ')}`);
  if (chart.coveredByToolbar.length > 0) throw new Error(`the chart's toolbar covers ${chart.coveredByToolbar.join('; ')}`);
}
