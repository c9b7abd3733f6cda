// Builds the bundled default gallery, resources/gallery/default-pack.json (and its .sha256), with
// the installed extractor, from real generators only:
//  - every generator of the real-generator corpus (modelprint corpus build; its manifest.tsv names
//    each image's repository, commit and path), up to 25 references each (fewer flagged weak),
//  - the real generators' images in ../shared/fixtures/generated (2-3 each), merged into the corpus
//    model of the same generator and the two SDXL fine-tunes.
// Each reference keeps its provenance as the name it is enrolled under: "repo@commit:path". Lineage
// where it is known (SDXL-Turbo and the SDXL fine-tunes from SDXL, Chroma from FLUX.1). With
// --families DIR, the self-trained synthetic families (training/attribution) are added instead of
// nothing: a demo pack, not the default. Each model's C_T curve is computed from the same images
// when the layered encoder and its reference set are installed.
// Run from the repository root:
//   node src-engine/builders/build-default-pack.ts [--corpus DIR] [--fixtures DIR] [--families DIR] [--out FILE]
// Re-run it whenever the extractor changes: a pack's fingerprints belong to one extractor.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CurveService } from '../ct-curve/curve-service.ts';
import { enrolmentCurveHook } from '../ct-curve/model-curve.ts';
import { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { DEFAULT_PACK } from '../gallery/default-gallery.ts';
import { STRONG_REFERENCE_IMAGES } from '../gallery/attribution-gallery.ts';
import type { Db } from '../db/open-database.ts';
import { enrolModel, type EnrolCurveHook } from '../gallery/enrol.ts';
import { buildPack, writePack } from '../gallery/gallery-pack.ts';
import { openGalleryDatabase } from '../gallery/gallery-store.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES_REPO = 'TianyunYoung/Model-Fingerprint';
const FIXTURES_SOURCE = `public demo images of the model-synthesis paper (${FIXTURES_REPO}, dataset/demo_samples)`;
/** References per model: the calibration's largest reference count. */
const MAX_REFERENCES = 25;
const FAMILIES_SOURCE = 'self-trained synthetic generator (training/attribution)';

interface PackModel {
  /** A folder of references, or the files themselves. */
  folder: string;
  name: string;
  family: string;
  version: string;
  source: string;
  notes: string;
  parent: string | undefined;
}

/** Lineage known from the models' publishers (base before its derivatives in enrolment order). */
const PARENTS: Record<string, string> = {
  'sdxl-turbo': 'sdxl',
  'animagine-xl-lora': 'sdxl',
  'realcartoon-xl-lora': 'sdxl',
  chroma: 'flux1',
};

const FIXTURE_MODELS: Record<string, { family: string; version: string }> = {
  sd15: { family: 'SD1', version: 'Stable Diffusion 1.5' },
  sdxl: { family: 'SDXL', version: 'Stable Diffusion XL' },
  'animagine-xl-lora': { family: 'SDXL', version: 'AnimagineXL (SDXL fine-tune) + LoRA' },
  'realcartoon-xl-lora': { family: 'SDXL', version: 'RealCartoonXL (SDXL fine-tune) + LoRAs' },
  dalle2: { family: 'DALL-E', version: 'DALL-E 2' },
};

interface Reference {
  file: string;
  provenance: string;
}

interface RealModel extends Omit<PackModel, 'folder'> {
  references: Reference[];
}

/** The corpus's generators and the fixtures, one model per generator, parents first. */
function realModels(corpus: string, fixtures: string): RealModel[] {
  const [header, ...rows] = fs.readFileSync(path.join(corpus, 'manifest.tsv'), 'utf8').trimEnd().split('\n');
  const column = (name: string) => header!.split('\t').indexOf(name);
  const [file, kind, generator, family, repo, commit, source] = ['file', 'kind', 'generator', 'family', 'repo', 'commit', 'path'].map(column);
  const byModel = new Map<string, { family: string; references: Reference[]; repos: Set<string> }>();
  for (const line of rows) {
    const cells = line.split('\t');
    if (cells[kind!] !== 'generator') continue;
    const entry = byModel.get(cells[generator!]!) ?? { family: cells[family!]!, references: [], repos: new Set<string>() };
    entry.references.push({ file: path.join(corpus, cells[file!]!), provenance: `${cells[repo!]}@${cells[commit!]}:${cells[source!]}` });
    entry.repos.add(`${cells[repo!]}@${cells[commit!]!.slice(0, 7)}`);
    byModel.set(cells[generator!]!, entry);
  }
  for (const [name, facts] of Object.entries(FIXTURE_MODELS)) {
    const folder = path.join(fixtures, name);
    const entry = byModel.get(name) ?? { family: facts.family, references: [], repos: new Set<string>() };
    for (const f of fs.readdirSync(folder).sort()) entry.references.push({ file: path.join(folder, f), provenance: `${FIXTURES_REPO}:dataset/demo_samples/${name}/${f}` });
    entry.repos.add(FIXTURES_SOURCE);
    byModel.set(name, entry);
  }
  const names = [...byModel.keys()].sort();
  const ordered = [...names.filter((n) => !PARENTS[n]), ...names.filter((n) => PARENTS[n])];
  return ordered.map((name) => {
    const entry = byModel.get(name)!;
    const references = entry.references.sort((x, y) => (x.provenance < y.provenance ? -1 : 1)).slice(0, MAX_REFERENCES);
    const weak = references.length < STRONG_REFERENCE_IMAGES ? `: weak reference (fewer than ${STRONG_REFERENCE_IMAGES}; it can be weighed but not attributed to)` : '';
    return {
      name,
      family: FIXTURE_MODELS[name]?.family ?? entry.family,
      version: FIXTURE_MODELS[name]?.version ?? name,
      source: [...entry.repos].join('; '),
      notes: `Real generator. Enrolled from ${references.length} published image${references.length === 1 ? '' : 's'} (of ${entry.references.length} available)${weak}; each reference is named by its provenance, repository@commit:path.`,
      parent: PARENTS[name] && byModel.has(PARENTS[name]) ? PARENTS[name] : undefined,
      references,
    };
  });
}

/** What build-default-pack reads of training/attribution's families manifest (render_sets.py). */
const familiesManifest = z.object({
  set: z.literal('families'),
  image_size: z.number().int(),
  images_per_model: z.number().int().positive(),
  models: z
    .array(
      z.object({
        id: z.string().min(1),
        arch_id: z.string().min(1),
        seed: z.number().int(),
        family: z.string().min(1),
        parent: z.string().nullable(),
        finetune: z.object({ steps: z.number().int(), content_kind: z.string() }).optional(),
      }),
    )
    .min(1),
});

/** The self-trained families, in manifest order (base generators before their fine-tunes). */
function familyModels(dir: string): PackModel[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${manifestFile} is missing: render the families first (bash training/train-attribution.sh, or python -m training.attribution.render_sets --only families)`);
  }
  const manifest = familiesManifest.parse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
  const size = `${manifest.image_size} px`;
  return manifest.models.map((m) => {
    const base = `A small synthetic autoencoder generator trained by this project, not a real-world model: architecture ${m.arch_id}, seed ${m.seed}, of the extractor's held-out architectures with a seed never used in training or testing.`;
    const tune = m.finetune && m.parent ? ` Fine-tuned from ${m.parent} for ${m.finetune.steps} steps on '${m.finetune.content_kind}' content.` : '';
    return {
      folder: path.join(dir, m.id),
      name: m.id,
      family: m.family,
      version: m.finetune && m.parent ? `fine-tune of ${m.parent} (${m.finetune.steps} steps, '${m.finetune.content_kind}' content)` : `${m.arch_id}, seed ${m.seed}`,
      source: FAMILIES_SOURCE,
      notes: `${base}${tune} Enrolled from its ${manifest.images_per_model} rendered images at ${size}.`,
      parent: m.parent ?? undefined,
    };
  });
}

/** Enrols a model from its reference files (copied into a folder of their own), naming each reference by its provenance. */
async function enrolReal(db: Db, service: FingerprintService, curve: EnrolCurveHook, m: RealModel, work: string): Promise<void> {
  const folder = path.join(work, 'references', m.name);
  fs.mkdirSync(folder, { recursive: true });
  const bySha = new Map<string, string>();
  m.references.forEach((r, i) => {
    const bytes = fs.readFileSync(r.file);
    bySha.set(createHash('sha256').update(bytes).digest('hex'), r.provenance);
    fs.writeFileSync(path.join(folder, `${String(i).padStart(3, '0')}${path.extname(r.file)}`), bytes);
  });
  const outcome = await enrolModel(db, service, { name: m.name, metadata: { family: m.family, version: m.version, source: m.source, notes: m.notes }, parent: m.parent, paths: [folder] }, { actor: 'build-default-pack', curve });
  if (outcome.failures.length > 0) throw new Error(`${m.name}: ${JSON.stringify(outcome.failures)}`);
  const rename = db.prepare('UPDATE reference_images SET original_name = ? WHERE sha256 = ? AND model_id = (SELECT id FROM models WHERE name = ?)');
  for (const [sha256, provenance] of bySha) rename.run(provenance, sha256, m.name);
  process.stdout.write(`${m.name}: ${outcome.embedded} references; C_T curve: ${outcome.curve?.reason ?? `from ${outcome.curve?.imageCount} images`}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, fixtures: { type: 'string' }, families: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const fixtures = path.resolve(values.fixtures ?? path.join(REPO, '..', 'shared', 'fixtures', 'generated'));
  const corpus = path.resolve(values.corpus ?? path.join(REPO, 'training', 'artifacts', 'real-corpus'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-default-pack-'));
  const db = openGalleryDatabase(work);
  const service = new FingerprintService();
  const curves = new CurveService();
  const curve = enrolmentCurveHook(curves);
  try {
    if (values.families) {
      for (const m of familyModels(path.resolve(values.families))) {
        const outcome = await enrolModel(db, service, { name: m.name, metadata: { family: m.family, version: m.version, source: m.source, notes: m.notes }, parent: m.parent, paths: [m.folder] }, { actor: 'build-default-pack', curve });
        if (outcome.failures.length > 0) throw new Error(`${m.folder}: ${JSON.stringify(outcome.failures)}`);
        process.stdout.write(`${m.name}: ${outcome.embedded} images\n`);
      }
    } else {
      for (const m of realModels(corpus, fixtures)) await enrolReal(db, service, curve, m, work);
    }
    const model = service.model();
    const file = path.resolve(values.out ?? path.join(REPO, 'resources', 'gallery', DEFAULT_PACK));
    const sha256 = writePack(file, buildPack(db, { name: model.name, sha256: model.sha256 }));
    process.stdout.write(`${path.relative(REPO, file)}  ${(fs.statSync(file).size / 1e6).toFixed(2)} MB  sha256 ${sha256}  extractor ${model.sha256}\n`);
  } finally {
    db.close();
    await service.close();
    await curves.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
