// Provenance analysis of images made by real generators (shared fixtures; see their README), and
// storing the report in a case.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { after } from 'node:test';
import { caseMigrations } from '../../src-engine/cases/case-migrations.ts';
import { extensionOf } from '../../src-engine/evidence/sniff.ts';
import { analyseProvenance, closeMetadataReader } from '../../src-engine/provenance/analyse.ts';
import { compareWithAttribution } from '../../src-engine/provenance/contradictions.ts';
import { familyOf } from '../../src-engine/provenance/model-families.ts';
import { loadProvenance, saveProvenance } from '../../src-engine/provenance/provenance-store.ts';
import type { ProvenanceReport } from '../../src-engine/api/provenance.ts';
import { generatedFixturesDir } from './helpers/repo-paths.ts';
import { createTestCase, importFiles, TEST_ACTOR } from './helpers/test-case.ts';

after(() => closeMetadataReader());

function fixtures(folder: string): string[] {
  const dir = path.join(generatedFixturesDir, folder);
  return fs.readdirSync(dir).sort().map((name) => path.join(dir, name));
}

function analyse(file: string, format: string): Promise<ProvenanceReport> {
  return analyseProvenance(file, { format, extension: extensionOf(file) });
}

/** Web UI file names start with the counter and the seed: 00001-1867360684.png. */
function seedInName(file: string): number {
  return Number(/^\d+-(\d+)\./.exec(path.basename(file))![1]);
}

test('AnimagineXL + LoRA: the web UI parameters name the model, the LoRA with its hash, and the seed of the file name', async () => {
  for (const file of fixtures('animagine-xl-lora')) {
    const report = await analyse(file, 'png');
    assert.deepEqual(report.claimedGenerator, {
      tool: 'Stable Diffusion web UI',
      model: 'animagineXLV3_v30',
      modelHash: '1449e5b0b9',
      loras: [{ name: 'Elsa- [Frozen] - XL Version 1', weight: 0.8, hash: 'c61d487d4e38' }],
      seed: seedInName(file),
      source: 'png:parameters',
    });
    assert.deepEqual(report.anomalies, []);
    assert.equal(report.c2pa.state, 'absent');
    const settings = new Map(report.signals.filter((s) => s.source === 'png:parameters').map((s) => [s.key, s.value]));
    assert.equal(settings.get('Sampler'), 'Euler a');
    assert.equal(settings.get('VAE'), 'sdxl_vae.safetensors');
    assert.equal(settings.get('Size'), '832x1216');
    assert.match(settings.get('Negative prompt') ?? '', /^multiple girls, lowres/);
    assert.match(report.signals[0]?.interpretation ?? '', /generator tool: Stable Diffusion web UI; model: animagineXLV3_v30 \(hash 1449e5b0b9\); LoRAs: Elsa- \[Frozen\] - XL Version 1 \(weight 0.8\)/);
  }
});

test('RealCartoonXL + LoRAs: prompt tags and recorded hashes are joined; quoted settings keep their commas', async () => {
  for (const file of fixtures('realcartoon-xl-lora')) {
    const report = await analyse(file, 'png');
    const claim = report.claimedGenerator;
    assert.equal(claim?.model, 'realcartoonXL_v2');
    assert.equal(claim?.modelHash, '2b4c22331f');
    assert.equal(claim?.seed, seedInName(file));
    assert.deepEqual(claim?.loras.map((l) => [l.name, l.hash]), [
      ['add-detail-xl', null],
      ['princess_xl_v2', '12a7bd822b5f'],
    ]);
    assert.equal(claim?.loras[0]?.weight, 1);
    const adetailer = report.signals.find((s) => s.key === 'ADetailer prompt');
    assert.match(adetailer?.value ?? '', /^\w+ <lora:princess_xl_v2:0.8>, beautiful face$/);
  }
});

test('DALL-E 2: WebP content under a .png name, lossy VP8, no metadata', async () => {
  for (const file of fixtures('dalle2')) {
    const report = await analyse(file, 'webp');
    assert.deepEqual(report.anomalies.map((a) => a.code), ['extension_mismatch', 'lossy_webp', 'no_metadata']);
    assert.match(report.anomalies[0]!.message, /extension '\.png' does not match the content, which is WEBP/);
    assert.equal(report.claimedGenerator, null);
  }
});

test('SD 1.5 and SDXL samples carry no generator metadata', async () => {
  for (const file of [...fixtures('sd15'), ...fixtures('sdxl')]) {
    const report = await analyse(file, 'png');
    assert.equal(report.claimedGenerator, null);
    assert.deepEqual(report.signals, []);
    assert.deepEqual(report.anomalies.map((a) => a.code), ['no_metadata']);
    assert.deepEqual(report.raw.pngChunks.map((c) => c.type).filter((t) => t !== 'IDAT'), ['IHDR', 'IEND']);
  }
});

test('claims are compared with the attribution through the family table', async () => {
  const [animagine] = fixtures('animagine-xl-lora');
  const report = await analyse(animagine!, 'png');
  const againstDalle = compareWithAttribution(report, { outcome: 'attributed', candidate: 'dalle2' });
  assert.deepEqual(againstDalle, [
    {
      severity: 'warning',
      message: "png:parameters claims model 'animagineXLV3_v30' (SDXL) made by Stable Diffusion web UI, but the pixel attribution says 'dalle2' (DALL-E 2)",
    },
  ]);
  assert.deepEqual(compareWithAttribution(report, { outcome: 'attributed', candidate: 'animagine-xl-lora' }), []);
  assert.deepEqual(compareWithAttribution(report, { outcome: 'attributed', candidate: 'sdxl' }), [], 'a fine-tune agrees with its base family');
  assert.deepEqual(compareWithAttribution(report, { outcome: 'attributed', candidate: 'model-7', family: 'SD 1.5' }).map((c) => c.severity), ['warning']);
  assert.equal(compareWithAttribution(report, { outcome: 'attributed', candidate: 'unknown-model' })[0]?.severity, 'info');
  assert.deepEqual(compareWithAttribution(report, null), [
    { severity: 'info', message: 'no pixel-level attribution of this item yet: the provenance signals stand alone and were not compared' },
  ]);
  assert.deepEqual(compareWithAttribution(report, { outcome: 'no-known-model' }), [
    { severity: 'info', message: 'the pixel-level attribution found no known model: the provenance signals stand alone and were not compared' },
  ]);
});

test('the family table knows the fixtures and common checkpoint names', () => {
  const expected: Record<string, string | null> = {
    sd15: 'SD 1.5',
    sdxl: 'SDXL',
    'animagine-xl-lora': 'SDXL',
    animagineXLV3_v30: 'SDXL',
    realcartoonXL_v2: 'SDXL',
    'sd_xl_base_1.0.safetensors': 'SDXL',
    'v1-5-pruned-emaonly.safetensors': 'SD 1.5',
    ponyDiffusionV6: 'SDXL',
    'flux1-dev.safetensors': 'FLUX',
    dalle2: 'DALL-E 2',
    'DALL·E 3': 'DALL-E 3',
    'excel-photo': null,
    pixelart: null,
  };
  for (const [name, family] of Object.entries(expected)) assert.equal(familyOf(name), family, name);
});

test('a report is stored in the case with a custody event and an audit entry, and loads back unchanged', async (t) => {
  const { handle } = createTestCase(t);
  const [file] = fixtures('realcartoon-xl-lora');
  await importFiles(handle, [file!]);
  const item = handle.db.prepare('SELECT id, sha256, format, extension FROM evidence_items').get() as { id: number; sha256: string; format: string; extension: string };
  assert.equal(loadProvenance(handle.db, item.id), null);

  const report = await analyseProvenance(handle.store.evidencePath(item.sha256), { format: item.format, extension: item.extension });
  saveProvenance(handle.db, item.id, report, TEST_ACTOR);
  saveProvenance(handle.db, item.id, report, TEST_ACTOR);

  const stored = loadProvenance(handle.db, item.id);
  assert.deepEqual(stored?.report, report);
  assert.deepEqual(stored?.toolVersions, report.tools);
  assert.equal(handle.db.pragma('user_version', { simple: true }), caseMigrations.at(-1)!.version);
  const custody = handle.db.prepare("SELECT details FROM custody_events WHERE item_id = ? AND action = 'provenance_analysed'").all(item.id) as Array<{ details: string }>;
  assert.equal(custody.length, 2, 'each analysis is a custody event');
  const details = JSON.parse(custody[0]!.details) as { reportSha256: string; claimedModel: string };
  assert.match(details.reportSha256, /^[0-9a-f]{64}$/);
  assert.equal(details.claimedModel, 'realcartoonXL_v2');
  const audit = handle.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'evidence.provenance_analysed'").get() as { n: number };
  assert.equal(audit.n, 2);
  assert.throws(() => saveProvenance(handle.db, 9999, report, TEST_ACTOR), /FOREIGN KEY/);
  assert.equal((handle.db.prepare('SELECT count(*) AS n FROM custody_events').get() as { n: number }).n, 3, 'a failed save leaves no custody event behind');
});
