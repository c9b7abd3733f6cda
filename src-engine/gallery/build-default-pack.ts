// Builds the bundled default gallery, resources/gallery/default-pack.json (and its .sha256), with
// the installed extractor, from
//  - the real generators' images in ../shared/fixtures/generated (2-3 each: weak references), and
//  - the generator families this project trains itself, rendered by training/attribution
//    (training/artifacts/attribution/families/: 12 generators, 4 per upsampling type, and 2
//    fine-tunes of them, 300 images each; their manifest.json names families and parents).
// Each model's C_T curve is computed from the same images when the layered encoder and its
// reference set are installed (the pack carries it; the fixtures have too few images for one).
// Run from the repository root:
//   node src-engine/gallery/build-default-pack.ts [--fixtures DIR] [--families DIR] [--out FILE]
// Re-run it whenever the extractor changes: a pack's fingerprints belong to one extractor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CurveService } from '../ct-curve/curve-service.ts';
import { enrolmentCurveHook } from '../ct-curve/model-curve.ts';
import { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { DEFAULT_PACK } from './default-gallery.ts';
import { enrolModel } from './enrol.ts';
import { buildPack, writePack } from './gallery-pack.ts';
import { openGalleryDatabase } from './gallery-store.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES_SOURCE = 'public demo images of the model-synthesis paper (TianyunYoung/Model-Fingerprint, dataset/demo_samples)';
const FAMILIES_SOURCE = 'self-trained synthetic generator (training/attribution)';

interface PackModel {
  folder: string;
  name: string;
  family: string;
  version: string;
  source: string;
  notes: string;
  parent: string | undefined;
}

/** The five real generators; parents first, so lineage can be linked as models are enrolled. */
function fixtureModels(dir: string): PackModel[] {
  const models = [
    { name: 'sd15', family: 'SD1', version: 'Stable Diffusion 1.5', parent: undefined },
    { name: 'sdxl', family: 'SDXL', version: 'Stable Diffusion XL', parent: undefined },
    { name: 'animagine-xl-lora', family: 'SDXL', version: 'AnimagineXL (SDXL fine-tune) + LoRA', parent: 'sdxl' },
    { name: 'realcartoon-xl-lora', family: 'SDXL', version: 'RealCartoonXL (SDXL fine-tune) + LoRAs', parent: 'sdxl' },
    { name: 'dalle2', family: 'DALL-E', version: 'DALL-E 2', parent: undefined },
  ];
  return models.map((m) => {
    const folder = path.join(dir, m.name);
    const notes = `enrolled from ${fs.readdirSync(folder).length} reference images only: weak reference`;
    return { ...m, folder, source: FIXTURES_SOURCE, notes };
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

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fixtures: { type: 'string' }, families: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const fixtures = path.resolve(values.fixtures ?? path.join(REPO, '..', 'shared', 'fixtures', 'generated'));
  const families = path.resolve(values.families ?? path.join(REPO, 'training', 'artifacts', 'attribution', 'families'));
  const models = [...fixtureModels(fixtures), ...familyModels(families)];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-default-pack-'));
  const db = openGalleryDatabase(work);
  const service = new FingerprintService();
  const curves = new CurveService();
  const curve = enrolmentCurveHook(curves);
  try {
    for (const m of models) {
      const count = fs.readdirSync(m.folder).length;
      const outcome = await enrolModel(db, service, { name: m.name, metadata: { family: m.family, version: m.version, source: m.source, notes: m.notes }, parent: m.parent, paths: [m.folder] }, { actor: 'build-default-pack', curve });
      if (outcome.failures.length > 0 || outcome.embedded !== count) throw new Error(`${m.folder}: ${JSON.stringify(outcome.failures)}`);
      process.stdout.write(`${m.name}: ${outcome.embedded} images; C_T curve: ${outcome.curve?.reason ?? `from ${outcome.curve?.imageCount} images`}\n`);
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
