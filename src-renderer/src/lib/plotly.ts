// plotly.js is several megabytes: it loads on first use (its own chunk), so opening the app and
// browsing evidence never pay for it. One shared promise: every chart waits on the same load.
type PlotlyModule = typeof import('plotly.js-dist');

let loading: Promise<PlotlyModule> | null = null;

export function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-dist').then(
    // The bundle is CommonJS: depending on the interop, the API is the module or its default.
    (module) => ('react' in module ? module : (module as { default: PlotlyModule }).default),
    (error: unknown) => {
      loading = null; // let a later chart try again
      throw error;
    },
  );
  return loading;
}
