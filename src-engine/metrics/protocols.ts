// The evaluation protocols of the model-synthesis paper (docs/methods.md §1), on image embeddings
// labelled by generator:
// - 1:N identification: each generator's gallery entry is the mean embedding of its first 10 images
//   in file-name order (as training/evaluate.py does, so the model card's figures reproduce exactly);
//   every other image is assigned to the most cosine-similar entry;
// - 1:1 verification: random same-generator and different-generator pairs, scored by cosine.
import { accuracy, macroF1 } from './classification-metrics.ts';
import { randomIndex } from '../base/seeded-random.ts';
import { verificationFigures } from './verification-metrics.ts';

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function membersByClass(labels: readonly number[], classes: number): number[][] {
  const members: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, i) => members[label]!.push(i));
  return members;
}

export interface GallerySplit {
  /** Per class, the images whose mean is its gallery entry. */
  gallery: number[][];
  /** Every image not in a gallery, in input order. */
  queries: number[];
}

/**
 * Gallery of the first `size` images per class (input order); a class with `size` images or fewer keeps one image as a
 * query and puts the rest in its gallery (a class of one image is a gallery entry only).
 */
export function splitGallery(labels: readonly number[], classes: number, size: number): GallerySplit {
  const gallery = membersByClass(labels, classes).map((members) => members.slice(0, members.length > size ? size : Math.max(1, members.length - 1)));
  const inGallery = new Set(gallery.flat());
  return { gallery, queries: labels.map((_, i) => i).filter((i) => !inGallery.has(i)) };
}

export interface IdentificationResult {
  queries: number;
  accuracy: number;
  macroF1: number;
  /** Per class: queries and how many were identified correctly. */
  perClass: Array<{ queries: number; correct: number }>;
  predicted: number[];
}

export function identify(embeddings: readonly Float32Array[], labels: readonly number[], split: GallerySplit): IdentificationResult {
  const entries = split.gallery.map((members) => {
    const mean = new Float64Array(embeddings[0]!.length);
    for (const i of members) embeddings[i]!.forEach((x, d) => (mean[d]! += x / members.length));
    return mean;
  });
  const truth = split.queries.map((i) => labels[i]!);
  const predicted = split.queries.map((i) => {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    entries.forEach((entry, label) => {
      const score = cosine(embeddings[i]!, entry);
      if (score > bestScore) [best, bestScore] = [label, score];
    });
    return best;
  });
  const perClass = split.gallery.map(() => ({ queries: 0, correct: 0 }));
  truth.forEach((label, k) => {
    perClass[label]!.queries++;
    if (predicted[k] === label) perClass[label]!.correct++;
  });
  return { queries: truth.length, accuracy: accuracy(truth, predicted), macroF1: macroF1(truth, predicted), perClass, predicted };
}

export interface VerificationResult {
  samePairs: number;
  differentPairs: number;
  /** How many distinct pairs exist: with fewer than requested, pairs repeat. */
  distinctSamePairs: number;
  distinctDifferentPairs: number;
  auc: number;
  eer: number;
  bestAccuracy: number;
  bestThreshold: number;
}

/**
 * `count` same-generator pairs (first image uniform over images with a same-generator partner,
 * second uniform over its partners) and `count` different-generator pairs (first uniform, second
 * uniform over other generators' images). Pairs are drawn with replacement; null when a kind of
 * pair cannot exist (one generator, or no generator with two images).
 */
export function verify(embeddings: readonly Float32Array[], labels: readonly number[], classes: number, count: number, random: () => number): VerificationResult | null {
  const members = membersByClass(labels, classes);
  const pairable = labels.map((_, i) => i).filter((i) => members[labels[i]!]!.length > 1);
  const distinctSamePairs = members.reduce((sum, m) => sum + (m.length * (m.length - 1)) / 2, 0);
  const distinctDifferentPairs = (labels.length * (labels.length - 1)) / 2 - distinctSamePairs;
  if (pairable.length === 0 || distinctDifferentPairs === 0) return null;
  const same: number[] = [];
  const different: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = pairable[randomIndex(random, pairable.length)]!;
    const partners = members[labels[i]!]!.filter((j) => j !== i);
    same.push(cosine(embeddings[i]!, embeddings[partners[randomIndex(random, partners.length)]!]!));
  }
  for (let k = 0; k < count; k++) {
    const i = randomIndex(random, labels.length);
    const others = labels.length - members[labels[i]!]!.length;
    // The n-th image outside i's generator, without building the list for every draw.
    let n = randomIndex(random, others);
    const j = labels.findIndex((label) => label !== labels[i] && n-- === 0);
    different.push(cosine(embeddings[i]!, embeddings[j]!));
  }
  const { auc, eer, bestAccuracy, bestThreshold } = verificationFigures(same, different);
  return { samePairs: count, differentPairs: count, distinctSamePairs, distinctDifferentPairs, auc, eer, bestAccuracy, bestThreshold };
}
