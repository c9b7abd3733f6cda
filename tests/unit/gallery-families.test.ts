// Gallery families: the cosine heatmap, average-linkage clustering on 1 - cosine and the
// dendrogram's leaf order against scipy (tests/fixtures/gallery/make_families_reference.py), the
// seeded 2D map (UMAP, or PCA for small galleries), and the families of a gallery database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { averageLinkage, clusterFingerprints, leafOrder } from '../../src-engine/gallery/families.ts';
import { fingerprintMap, MIN_UMAP_MODELS } from '../../src-engine/gallery/fingerprint-map.ts';
import { galleryFamilies } from '../../src-engine/gallery/gallery-browser.ts';
import { addReferenceEmbedding, addReferenceImage, currentFingerprints, insertModel, openGalleryDatabase, refreshFingerprint } from '../../src-engine/gallery/gallery-store.ts';
import { mulberry32 } from '../../src-engine/base/seeded-random.ts';
import { repoRoot } from './helpers/repo-paths.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

interface Reference {
  names: string[];
  embeddings: number[][];
  similarity: number[][];
  linkage: Array<{ a: number; b: number; distance: number; size: number }>;
  leafOrder: number[];
}

const reference = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'gallery', 'families-reference.json'), 'utf8')) as Reference;

function close(actual: number, expected: number, what: string, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs scipy ${expected}`);
}

function randomEmbeddings(count: number, seed: number, dim = 16): Float32Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => Float32Array.from({ length: dim }, (_, d) => random() - 0.5 + (d % 4 === i % 4 ? 1 : 0)));
}

test('heatmap, linkage and leaf order match scipy (average linkage on cosine distance)', () => {
  const families = clusterFingerprints(reference.embeddings);
  const n = reference.names.length;
  families.similarity.forEach((row, i) => row.forEach((s, j) => close(s, reference.similarity[i]![j]!, `similarity[${i}][${j}]`)));
  assert.equal(families.linkage.length, n - 1);
  families.linkage.forEach((step, i) => {
    const expected = reference.linkage[i]!;
    assert.deepEqual([step.a, step.b, step.size], [expected.a, expected.b, expected.size], `merge ${i}`);
    close(step.distance, expected.distance, `merge ${i} distance`);
  });
  assert.deepEqual(families.leafOrder, reference.leafOrder);
});

test('degenerate galleries: none, one and two models', () => {
  assert.deepEqual(clusterFingerprints([]), { similarity: [], linkage: [], leafOrder: [] });
  assert.deepEqual(clusterFingerprints([Float32Array.of(3, 4)]), { similarity: [[1]], linkage: [], leafOrder: [0] });
  const two = clusterFingerprints([Float32Array.of(1, 0), Float32Array.of(0, 2)]);
  assert.deepEqual(two.linkage, [{ a: 0, b: 1, distance: 1, size: 2 }]);
  assert.deepEqual(two.leafOrder, [0, 1]);
});

test('identical fingerprints merge at distance 0, children always before the merge that joins them', () => {
  const same = Float32Array.of(1, 2, 3);
  const linkage = averageLinkage(clusterFingerprints([same, same, same, Float32Array.of(-1, 0, 2)]).similarity.map((row) => row.map((s) => Math.max(0, 1 - s))));
  linkage.forEach((step, i) => {
    assert.ok(step.a < 4 + i && step.b < 4 + i, `merge ${i} uses only earlier clusters`);
  });
  assert.equal(linkage.at(-1)!.size, 4);
  assert.deepEqual([...leafOrder(linkage, 4)].sort(), [0, 1, 2, 3]);
});

test('the map is UMAP, seeded, from the smallest gallery it is meant for; below that PCA with the reason', () => {
  const many = randomEmbeddings(MIN_UMAP_MODELS + 4, 7);
  const first = fingerprintMap(many);
  assert.match(first.method, /^UMAP \(cosine distance, 13 neighbours, .*seed \d+\)$/);
  assert.equal(first.points.length, many.length);
  assert.ok(first.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  assert.deepEqual(fingerprintMap(many), first, 'the same gallery gives the same map');

  const few = randomEmbeddings(MIN_UMAP_MODELS - 1, 8);
  const pca = fingerprintMap(few);
  assert.match(pca.method, new RegExp(`^PCA .*${MIN_UMAP_MODELS - 1} models are too few for UMAP`));
  assert.equal(pca.points.length, few.length);
  // PCA's first axis carries at least as much variance as its second.
  const variance = (values: number[]) => values.reduce((sum, v) => sum + v * v, 0) - values.reduce((sum, v) => sum + v, 0) ** 2 / values.length;
  assert.ok(variance(pca.points.map((p) => p.x)) >= variance(pca.points.map((p) => p.y)));
  assert.deepEqual(fingerprintMap([Float32Array.of(1, 0)]).points, [{ x: 0, y: 0 }]);
  assert.deepEqual(fingerprintMap([]).points, []);
});

test("a gallery's families cover its current fingerprints in name order, and name the models left out", (t) => {
  let db: ReturnType<typeof openGalleryDatabase> | undefined;
  const home = makeTempDir(t, 'modelprint-families', () => void db?.close());
  db = openGalleryDatabase(home);
  const current = 'a'.repeat(64);
  const embeddings = randomEmbeddings(4, 9);
  const names = ['delta', 'alpha', 'charlie', 'bravo'];
  names.forEach((name, i) => {
    const id = insertModel(db!, name, { family: i % 2 === 0 ? 'even' : 'odd' }, null);
    addReferenceEmbedding(db!, addReferenceImage(db!, id, String(i).repeat(64), `${name}.png`), current, embeddings[i]!);
    refreshFingerprint(db!, id, current);
  });
  insertModel(db, 'stale-one', {}, null);

  const families = galleryFamilies(db, current);
  assert.deepEqual(families.models, ['alpha', 'bravo', 'charlie', 'delta']);
  assert.deepEqual(families.families, ['odd', 'odd', 'even', 'even']);
  assert.deepEqual(families.excluded, ['stale-one']);
  const stored = new Map(currentFingerprints(db, current).map((f) => [f.name, f.embedding]));
  const expected = clusterFingerprints(families.models.map((name) => stored.get(name)!));
  assert.deepEqual(families.similarity, expected.similarity);
  assert.deepEqual(families.linkage, expected.linkage);
  assert.deepEqual(families.leafOrder, expected.leafOrder);
  assert.equal(families.map.points.length, 4);
  assert.match(families.map.method, /^PCA/);
});
