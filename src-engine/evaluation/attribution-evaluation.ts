// Attribution figures of `modelprint evaluate`, for single images and for bags of
// 1, 5, 10 and 50 query images pooled by their mean or by the DeepSets set encoder:
// identification (accuracy, macro-F1, confusion, per-class precision / recall), verification
// (AUC, EER, best accuracy over bag-vs-entry scores), Cllr of the shipped calibration and Cllr_min,
// the set paper's decorrelation score, and open-set rejection with generators held out of the
// gallery. Every figure comes from one score matrix per (pooling, bag size): the cosine of each
// query bag's fingerprint with every generator's gallery entry, so the calibrated LRs, the
// rankings and the decisions are those `modelprint attribute` would produce for the same images.
import { meanPool, type Pool } from '../calibration/bag-comparisons.ts';
import type { UsableCalibration } from '../calibration/calibration-set.ts';
import { cllrMin } from '../calibration/cllr.ts';
import type { SetEncoder } from '../set-fingerprint/set-encoder.ts';
import { drawDisjointBags, chooseHeldOut, EVALUATION_BAG_SIZES } from '../metrics/bags.ts';
import { accuracy, confusionMatrix, macroF1, perClassScores } from '../metrics/classification-metrics.ts';
import { decorrelation, type Decorrelation } from '../metrics/decorrelation.ts';
import { cosine, type GallerySplit } from '../metrics/protocols.ts';
import { rocAuc, verificationFigures } from '../metrics/verification-metrics.ts';

export type BagPooling = 'mean' | 'deepsets';

/** What the attribution figures need beyond the embeddings, each with the reason when absent. */
export interface AttributionResources {
  setEncoder: SetEncoder | null;
  setEncoderNote: string | null;
  calibration: UsableCalibration | null;
  calibrationNote: string | null;
}

export interface BagRow {
  pooling: BagPooling;
  bagSize: number;
  bags: number;
  /** Generators with at least one bag at this size. */
  generators: number;
  identification: {
    accuracy: number;
    macroF1: number;
    /** confusion[t][p]: bags of generator t ranked first on generator p (generators in report order). */
    confusion: number[][];
    perClass: Array<{ generator: string; support: number; precision: number; recall: number; f1: number }>;
  } | null;
  /** Each bag against its own entry (same source) and every other entry (different source). */
  verification: { same: number; different: number; auc: number; eer: number; bestAccuracy: number; bestThreshold: number; cllrMin: number } | null;
  decorrelation: Decorrelation | null;
  note: string | null;
}

interface Compared {
  mean: number | null;
  deepsets: number | null;
  /** deepsets - mean. */
  delta: number | null;
}

export interface PoolingComparison {
  bagSize: number;
  /** By identification accuracy, then (when equal) AUC; the summary says which decided. */
  better: BagPooling | 'tie';
  accuracy: Compared;
  macroF1: Compared;
  auc: Compared;
  eer: Compared;
  cllrMin: Compared;
  decorrelation: Compared;
  summary: string;
}

export interface OpenSetRow {
  pooling: BagPooling;
  bagSize: number;
  knownBags: number;
  unknownBags: number;
  /** Known (positive) vs unknown bags, by the best cosine over the reduced gallery. */
  maxCosineAuroc: number | null;
  note: string | null;
}

export interface OpenSetReport {
  /** Generators removed from the gallery; their query bags are the unknowns. */
  heldOut: string[];
  galleryGenerators: number;
  rows: OpenSetRow[];
}

export interface AttributionEvaluation {
  protocol: { bagSizes: number[]; bagDrawing: string; score: 'cosine'; verification: string; decorrelation: string; openSet: string };
  setEncoder: { name: string; sha256: string } | null;
  calibration: { file: string; id: string; fileSha256: string; description: string } | null;
  rows: BagRow[];
  comparison: PoolingComparison[];
  openSet: OpenSetReport | null;
  notes: string[];
}

export interface AttributionOptions {
  seed: number;
  /** Generators to hold out of the gallery: a count (>= 1) or a fraction in (0, 1); none when absent. */
  unknown?: number;
  signal?: AbortSignal;
}

/** One pooling at one bag size: each bag's class and its cosine with every class's gallery entry. */
interface ScoredBags {
  pooling: BagPooling;
  bagSize: number;
  labels: number[];
  vectors: Float32Array[];
  entries: Float32Array[];
  scores: number[][];
}

const asyncMean: Pool = async (bag) => meanPool(bag);

async function scoreBags(pooling: BagPooling, pool: Pool, embeddings: readonly Float32Array[], split: GallerySplit, labels: readonly number[], bagSize: number, seed: number, signal?: AbortSignal): Promise<ScoredBags> {
  const entries: Float32Array[] = [];
  for (const members of split.gallery) entries.push(await pool(members.map((i) => embeddings[i]!)));
  const queriesByClass = split.gallery.map(() => [] as number[]);
  for (const i of split.queries) queriesByClass[labels[i]!]!.push(i);
  const scored: ScoredBags = { pooling, bagSize, labels: [], vectors: [], entries, scores: [] };
  for (const [label, bags] of drawDisjointBags(queriesByClass, bagSize, seed).entries()) {
    for (const bag of bags) {
      signal?.throwIfAborted();
      const vector = await pool(bag.map((i) => embeddings[i]!));
      scored.labels.push(label);
      scored.vectors.push(vector);
      scored.scores.push(entries.map((entry) => cosine(vector, entry)));
    }
  }
  return scored;
}

function argmax(values: readonly number[], allowed: (index: number) => boolean = () => true): number {
  let best = -1;
  values.forEach((v, i) => {
    if (allowed(i) && (best < 0 || v > values[best]!)) best = i;
  });
  return best;
}

function bagRow(scored: ScoredBags, names: readonly string[]): BagRow {
  const { pooling, bagSize, labels, scores } = scored;
  const row: BagRow = {
    pooling,
    bagSize,
    bags: labels.length,
    generators: new Set(labels).size,
    identification: null,
    verification: null,
    decorrelation: null,
    note: null,
  };
  if (labels.length === 0) return { ...row, note: `no generator has ${bagSize} query images` };
  const predicted = scores.map((s) => argmax(s));
  const confusion = confusionMatrix(labels, predicted, names.length);
  row.identification = {
    accuracy: accuracy(labels, predicted),
    macroF1: macroF1(labels, predicted),
    confusion,
    perClass: perClassScores(confusion).map((s, c) => ({ generator: names[c]!, ...s })),
  };
  row.decorrelation = decorrelation(scored.vectors, labels, scored.entries);
  const same = scores.map((s, b) => s[labels[b]!]!);
  const different = scores.flatMap((s, b) => s.filter((_, c) => c !== labels[b]));
  if (different.length === 0) return { ...row, note: 'verification needs at least two generators' };
  row.verification = { same: same.length, different: different.length, ...verificationFigures(same, different), cllrMin: cllrMin(same, different) };
  return row;
}

function openSetRow(scored: ScoredBags, heldOut: ReadonlySet<number>): OpenSetRow {
  const { pooling, bagSize, labels, scores } = scored;
  const inGallery = (c: number) => !heldOut.has(c);
  const best = scores.map((s) => argmax(s, inGallery));
  const isKnown = labels.map(inGallery);
  const knownBags = isKnown.filter(Boolean).length;
  const row: OpenSetRow = { pooling, bagSize, knownBags, unknownBags: labels.length - knownBags, maxCosineAuroc: null, note: null };
  if (row.knownBags === 0 || row.unknownBags === 0) return { ...row, note: 'open-set figures need bags of known and of held-out generators' };
  const topScores = scores.map((s, b) => s[best[b]!]!);
  row.maxCosineAuroc = rocAuc(topScores, isKnown);
  return row;
}

function compare(rows: readonly BagRow[], bagSize: number): PoolingComparison | null {
  const mean = rows.find((r) => r.pooling === 'mean' && r.bagSize === bagSize);
  const deepsets = rows.find((r) => r.pooling === 'deepsets' && r.bagSize === bagSize);
  if (!mean?.identification || !deepsets?.identification) return null;
  const pair = (get: (row: BagRow) => number | null | undefined): Compared => {
    const [m, d] = [get(mean) ?? null, get(deepsets) ?? null];
    return { mean: m, deepsets: d, delta: m === null || d === null ? null : d - m };
  };
  const comparison = {
    accuracy: pair((r) => r.identification?.accuracy),
    macroF1: pair((r) => r.identification?.macroF1),
    auc: pair((r) => r.verification?.auc),
    eer: pair((r) => r.verification?.eer),
    cllrMin: pair((r) => r.verification?.cllrMin),
    decorrelation: pair((r) => r.decorrelation?.score),
  };
  const byAccuracy = Math.sign(comparison.accuracy.delta!);
  const order = byAccuracy || Math.sign(comparison.auc.delta ?? 0);
  const better: PoolingComparison['better'] = order > 0 ? 'deepsets' : order < 0 ? 'mean' : 'tie';
  const signed = (x: number | null, digits: number, scale = 1) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * scale).toFixed(digits)}`);
  const detail =
    `accuracy ${signed(comparison.accuracy.delta, 1, 100)} points, AUC ${signed(comparison.auc.delta, 2, 100)} points, ` +
    `EER ${signed(comparison.eer.delta, 1, 100)} points, Cllr_min ${signed(comparison.cllrMin.delta, 3)} (DeepSets minus mean)`;
  const winner = better === 'deepsets' ? 'DeepSets' : 'mean pooling';
  const summary =
    better === 'tie' ? `bags of ${bagSize}: a tie (${detail})` : `bags of ${bagSize}: ${winner} is better${byAccuracy ? '' : ' (equal accuracy; by AUC)'}: ${detail}`;
  return { bagSize, better, ...comparison, summary };
}

/** The number of generators `--unknown` holds out of `classes`: a count, or a fraction rounded (at least one). */
export function heldOutCount(unknown: number, classes: number): number {
  return unknown >= 1 ? unknown : Math.max(1, Math.round(unknown * classes));
}

export async function evaluateAttribution(
  embeddings: readonly Float32Array[],
  labels: readonly number[],
  names: readonly string[],
  split: GallerySplit,
  resources: AttributionResources,
  options: AttributionOptions,
): Promise<AttributionEvaluation> {
  const notes: string[] = [];
  const poolings: Array<[BagPooling, Pool]> = [['mean', asyncMean]];
  const encoder = resources.setEncoder;
  if (encoder) poolings.push(['deepsets', (bag) => encoder.encode(bag)]);
  else notes.push(`DeepSets not evaluated: ${resources.setEncoderNote ?? 'no set encoder installed'}`);
  if (!resources.calibration) notes.push(resources.calibrationNote ?? 'no calibration');
  else if (encoder && !resources.calibration.deepsets.usable) notes.push(`DeepSets rows are not calibrated: ${resources.calibration.deepsets.reason}`);

  let heldOut: number[] | null = null;
  if (options.unknown !== undefined) {
    const count = heldOutCount(options.unknown, names.length);
    if (count >= names.length) notes.push(`open set not evaluated: holding out ${count} of ${names.length} generators leaves no gallery`);
    else heldOut = chooseHeldOut(names.length, count, options.seed);
  }
  // One score matrix at a time: with hundreds of generators each holds millions of scores.
  const rows: BagRow[] = [];
  const openRows: OpenSetRow[] = [];
  for (const bagSize of EVALUATION_BAG_SIZES) {
    for (const [pooling, pool] of poolings) {
      const scored = await scoreBags(pooling, pool, embeddings, split, labels, bagSize, options.seed, options.signal);
      rows.push(bagRow(scored, names));
      if (heldOut) openRows.push(openSetRow(scored, new Set(heldOut)));
    }
  }
  const openSet: OpenSetReport | null = heldOut && { heldOut: heldOut.map((c) => names[c]!), galleryGenerators: names.length - heldOut.length, rows: openRows };
  return {
    protocol: {
      bagSizes: [...EVALUATION_BAG_SIZES],
      bagDrawing:
        "gallery entry = the first gallery-size images of each generator (name order), pooled like the bags; each generator's other images " +
        'are shuffled (seeded by --seed and bag size) and cut into disjoint bags (size 1: every query image alone)',
      score: 'cosine',
      verification: 'every bag against its own gallery entry (same source) and against every other entry (different source)',
      decorrelation:
        "rho[i][j] = mean over generator i's query bags of |Pearson correlation across the embedding dimensions between the bag fingerprint and generator j's gallery entry|; " +
        'score = ||rho - I||_F / M^2 (set-encoder paper eq. 6)',
      openSet:
        'the held-out generators leave the gallery; each bag is ranked against the rest; decision on the top candidate\'s calibrated log10 LR: ' +
        '>= 1 attributed, <= -1 no known model, otherwise inconclusive; AUROC of the best cosine, known bags positive',
    },
    setEncoder: encoder && { name: encoder.info.name, sha256: encoder.info.sha256 },
    calibration: resources.calibration && {
      file: resources.calibration.file,
      id: resources.calibration.set.id,
      fileSha256: resources.calibration.fileSha256,
      description: resources.calibration.set.data.description,
    },
    rows,
    comparison: EVALUATION_BAG_SIZES.map((size) => compare(rows, size)).filter((c): c is PoolingComparison => c !== null),
    openSet,
    notes,
  };
}
