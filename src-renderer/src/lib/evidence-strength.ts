// How likelihood ratios and attribution decisions read on screen. Forensic convention writes an
// LR below 1 as 1/x (support for the alternative), never as a small decimal that looks like zero.

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10^x as a readable number: "340", "2.5", "1.6 × 10⁷"; two significant digits, as calibration warrants. */
function powerOfTen(exponent: number): string {
  if (!Number.isFinite(exponent)) return exponent > 0 ? '∞' : '0';
  if (exponent < 4) return Number((10 ** exponent).toPrecision(2)).toLocaleString('en-US');
  const whole = Math.floor(exponent);
  const mantissa = 10 ** (exponent - whole);
  const [digits, power] = mantissa >= 9.95 ? ['1.0', whole + 1] : [mantissa.toFixed(1), whole];
  return `${digits} × 10${String(power).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** The LR itself from its log10: "LR 340", "LR 1/45", "LR 1.6 × 10⁷". */
export function formatLr(log10Lr: number): string {
  if (Number.isNaN(log10Lr)) return 'LR —';
  return log10Lr >= 0 ? `LR ${powerOfTen(log10Lr)}` : `LR 1/${powerOfTen(-log10Lr)}`;
}

/** log10 LR with an explicit sign, so support either way is visible at a glance. */
export function formatLog10Lr(log10Lr: number): string {
  if (Number.isNaN(log10Lr)) return '—';
  const fixed = log10Lr.toFixed(2);
  return log10Lr > 0 ? `+${fixed}` : fixed === '-0.00' ? '0.00' : fixed;
}

export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(3) : '—';
}

export type DecisionKind = 'attributed' | 'tied' | 'inconclusive' | 'no-known-model';

/** A decision in a word or two, for badges and filters. */
export const DECISION_WORDS: Record<DecisionKind, string> = {
  attributed: 'attributed',
  tied: 'not told apart',
  inconclusive: 'inconclusive',
  'no-known-model': 'no known model',
};

/** "A", "A or B", "A, B or C": the models a tied decision names, none of them alone. */
function either(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' or ') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The headline of an open-set decision, as the examiner reads it. */
export function decisionHeadline(decision: { kind: DecisionKind; model: string | null; candidate: string; alsoSupported: readonly string[] }): string {
  switch (decision.kind) {
    case 'attributed':
      return `Attributed to ${decision.model ?? 'a gallery model'}`;
    case 'tied':
      // The rule's top candidate first, then the models within a factor of 10 of it.
      return `Not told apart: ${either([decision.candidate, ...decision.alsoSupported])}`;
    case 'inconclusive':
      return 'Inconclusive';
    case 'no-known-model':
      return 'No known model';
  }
}

/** "single image", "mean of 5 images", "DeepSets of 1 image": which calibration population a result used. */
export function poolingLabel(pooling: string, bagSize: number): string {
  if (pooling === 'single') return 'single image';
  return `${pooling === 'deepsets' ? 'DeepSets' : 'mean'} of ${bagSize} ${bagSize === 1 ? 'image' : 'images'}`;
}
