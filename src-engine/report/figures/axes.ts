// Axis arithmetic shared by the report's SVG charts (radial spectrum, Tippett plot, C_T curves):
// round ranges and tick steps of 1, 2 or 5 times a power of ten, so every chart reads alike.

/** [min, max] widened to whole tick steps; a flat range is opened by one unit either side. */
export function niceRange(min: number, max: number): [number, number] {
  if (max - min < 1e-9) return [min - 1, max + 1];
  const step = tickStep(max - min);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

/** About five ticks over the span. */
export function tickStep(span: number): number {
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalised = raw / magnitude;
  return (normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10) * magnitude;
}

export function ticks(min: number, max: number, step = tickStep(max - min)): number[] {
  const out: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export function formatTick(t: number): string {
  return Math.abs(t) >= 100 || Number.isInteger(t) ? t.toFixed(0) : t.toFixed(Math.abs(t) < 1 ? 2 : 1);
}
