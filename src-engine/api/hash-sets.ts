// The vocabulary of hash sets: lists of known file hashes a lab imports once into its library and
// every case's items are matched against (by SHA-256 and MD5, both recorded at intake).
export const HASH_SET_CATEGORIES = ['known-generated', 'known-camera-original', 'known-good', 'other'] as const;
export type HashSetCategory = (typeof HASH_SET_CATEGORIES)[number];

/** How examiners read a category. */
export const HASH_SET_CATEGORY_WORDS: Record<HashSetCategory, string> = {
  'known-generated': 'known generated',
  'known-camera-original': 'known camera original',
  'known-good': 'known good',
  other: 'other',
};

export type HashListFormat = 'plain' | 'nsrl-rds';

/** A line of an imported list that held no usable hash: counted and reported, never dropped silently. */
export interface BadHashLine {
  line: number;
  reason: string;
}

export interface HashSetSummary {
  name: string;
  category: HashSetCategory;
  format: HashListFormat;
  /** The imported file's name and SHA-256, so a report can say exactly which list was consulted. */
  sourceName: string;
  sourceSha256: string;
  importedUtc: string;
  importedBy: string;
  sha256Count: number;
  md5Count: number;
  badLineCount: number;
}

export interface HashSetImportOutcome {
  set: HashSetSummary;
  /** The first bad lines (at most 20); badLineCount in the set has them all. */
  badLines: BadHashLine[];
}

/** One item's hash found in one set. */
export interface HashSetMatch {
  setName: string;
  category: HashSetCategory;
  setSha256: string;
  /** Which of the item's intake hashes is listed. */
  algorithm: 'sha256' | 'md5';
}
