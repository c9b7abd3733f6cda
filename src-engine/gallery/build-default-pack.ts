// Builds the bundled default gallery, resources/gallery/default-pack.json (and its .sha256), from
// the real generators' images in ../shared/fixtures/generated, with the installed extractor.
// Run from the repository root:  node src-engine/gallery/build-default-pack.ts [fixtures folder]
// Re-run it whenever the extractor changes: a pack's fingerprints belong to one extractor.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FingerprintService } from '../fingerprint/fingerprint-service.ts';
import { DEFAULT_PACK } from './default-gallery.ts';
import { enrolModel } from './enrol.ts';
import { buildPack, writePack } from './gallery-pack.ts';
import { openGalleryDatabase } from './gallery-store.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const SOURCE = 'public demo images of the model-synthesis paper (TianyunYoung/Model-Fingerprint, dataset/demo_samples)';

/** Parents first, so lineage can be linked as models are enrolled. */
const MODELS = [
  { folder: 'sd15', name: 'sd15', family: 'SD1', version: 'Stable Diffusion 1.5', parent: undefined },
  { folder: 'sdxl', name: 'sdxl', family: 'SDXL', version: 'Stable Diffusion XL', parent: undefined },
  { folder: 'animagine-xl-lora', name: 'animagine-xl-lora', family: 'SDXL', version: 'AnimagineXL (SDXL fine-tune) + LoRA', parent: 'sdxl' },
  { folder: 'realcartoon-xl-lora', name: 'realcartoon-xl-lora', family: 'SDXL', version: 'RealCartoonXL (SDXL fine-tune) + LoRAs', parent: 'sdxl' },
  { folder: 'dalle2', name: 'dalle2', family: 'DALL-E', version: 'DALL-E 2', parent: undefined },
];

async function main(): Promise<void> {
  const fixtures = path.resolve(process.argv[2] ?? path.join(REPO, '..', 'shared', 'fixtures', 'generated'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelprint-default-pack-'));
  const db = openGalleryDatabase(work);
  const service = new FingerprintService();
  try {
    for (const m of MODELS) {
      const folder = path.join(fixtures, m.folder);
      const count = fs.readdirSync(folder).length;
      const notes = `enrolled from ${count} reference images only: weak reference`;
      const outcome = await enrolModel(db, service, { name: m.name, metadata: { family: m.family, version: m.version, source: SOURCE, notes }, parent: m.parent, paths: [folder] }, { actor: 'build-default-pack' });
      if (outcome.failures.length > 0 || outcome.embedded !== count) throw new Error(`${m.folder}: ${JSON.stringify(outcome.failures)}`);
      process.stdout.write(`${m.name}: ${outcome.embedded} images\n`);
    }
    const model = service.model();
    const file = path.join(REPO, 'resources', 'gallery', DEFAULT_PACK);
    const sha256 = writePack(file, buildPack(db, { name: model.name, sha256: model.sha256 }));
    process.stdout.write(`${path.relative(REPO, file)}  sha256 ${sha256}  extractor ${model.sha256}\n`);
  } finally {
    db.close();
    await service.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
