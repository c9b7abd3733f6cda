// How a likelihood ratio is written, the one way the CLI, reports and the UI write it. Forensic
// convention writes an LR below 1 as 1/x (support for the alternative), never as a small decimal
// that looks like zero; two significant digits, as calibration warrants.

/** "340", "1/45", "10^7.2": the LR from its log10, as wording states it. */
export function lrText(log10Lr: number): string {
  const magnitude = Math.abs(log10Lr);
  const value = !Number.isFinite(magnitude)
    ? '∞'
    : magnitude < 4 ? Number((10 ** magnitude).toPrecision(2)).toLocaleString('en-US') : `10^${magnitude.toFixed(1)}`;
  return log10Lr < 0 ? `1/${value}` : value;
}
