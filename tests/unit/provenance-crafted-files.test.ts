// Provenance analysis of files crafted byte by byte: each one carries exactly the trace under test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test, { after } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { analyseProvenance, closeMetadataReader } from '../../src-engine/provenance/analyse.ts';
import { compareWithAttribution } from '../../src-engine/provenance/contradictions.ts';
import { walkPng } from '../../src-engine/provenance/png-chunks.ts';
import type { ProvenanceReport } from '../../src-engine/api/provenance.ts';
import { gradient } from './helpers/sample-images.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

after(() => closeMetadataReader());

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A small real PNG with `chunks` inserted just before IEND, and `tail` after it. */
async function pngWith(chunks: Buffer[], tail = Buffer.alloc(0)): Promise<Buffer> {
  const png = await gradient(32, 24).png().toBuffer();
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), ...chunks, png.subarray(iend), tail]);
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

function tEXt(keyword: string, text: string): Buffer {
  return pngChunk('tEXt', Buffer.concat([latin1(keyword), Buffer.from([0]), latin1(text)]));
}

function zTXt(keyword: string, text: string): Buffer {
  return pngChunk('zTXt', Buffer.concat([latin1(keyword), Buffer.from([0, 0]), deflateSync(latin1(text))]));
}

function iTXt(keyword: string, text: string, compressed: boolean): Buffer {
  const body = compressed ? deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8');
  return pngChunk('iTXt', Buffer.concat([latin1(keyword), Buffer.from([0, compressed ? 1 : 0, 0]), latin1('en'), Buffer.from([0]), Buffer.from('Kommentar', 'utf8'), Buffer.from([0]), body]));
}

/** A JUMBF superbox whose description says "C2PA manifest store", labelled 'c2pa', holding junk. */
function c2paJumbf(): Buffer {
  const box = (type: string, payload: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + payload.length);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, payload]);
  };
  const description = box('jumd', Buffer.concat([Buffer.from('6332706100110010800000aa00389b71', 'hex'), Buffer.from([0x03]), latin1('c2pa\0')]));
  return box('jumb', Buffer.concat([description, box('json', latin1('{"not":"a manifest"}'))]));
}

function jpegApp11(jumbf: Buffer): Buffer {
  const payload = Buffer.concat([latin1('JP'), Buffer.from([0x00, 0x01]), Buffer.from([0, 0, 0, 1]), jumbf]);
  const head = Buffer.from([0xff, 0xeb, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function xmpPacket(attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" ${attrs}/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

const AI_SOURCE = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

async function analyseBytes(dir: string, name: string, bytes: Buffer, format: string | null): Promise<ProvenanceReport> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return analyseProvenance(file, { format, extension: path.extname(name).slice(1) });
}

const codes = (report: ProvenanceReport) => report.anomalies.map((a) => a.code);

test('zTXt and iTXt chunks (compressed or not) are decoded and kept as signals', async (t) => {
  const bytes = await pngWith([zTXt('Comment', 'squeezed text'), iTXt('Description', 'Grüße, plain', false), iTXt('Title', 'Grüße, deflated', true)]);
  const walk = walkPng(bytes);
  assert.deepEqual(
    walk.texts.map((x) => [x.chunk, x.keyword, x.text, x.compressed]),
    [
      ['zTXt', 'Comment', 'squeezed text', true],
      ['iTXt', 'Description', 'Grüße, plain', false],
      ['iTXt', 'Title', 'Grüße, deflated', true],
    ],
  );
  assert.equal(walk.texts[1]?.language, 'en');
  assert.equal(walk.texts[1]?.translatedKeyword, 'Kommentar');
  const report = await analyseBytes(makeTempDir(t), 'texts.png', bytes, 'png');
  assert.deepEqual(
    report.signals.filter((s) => s.source === 'png:text').map((s) => [s.key, s.value]),
    [
      ['zTXt Comment', 'squeezed text'],
      ['iTXt Description', 'Grüße, plain'],
      ['iTXt Title', 'Grüße, deflated'],
    ],
  );
  assert.deepEqual(report.raw.pngChunks.map((c) => c.type).slice(-4), ['zTXt', 'iTXt', 'iTXt', 'IEND']);
  assert.ok(!codes(report).includes('no_metadata'), 'text chunks are metadata');
});

test('data after IEND is reported with its size and what it looks like', async (t) => {
  const zip = Buffer.concat([latin1('PK\x03\x04'), Buffer.alloc(60, 1)]);
  const report = await analyseBytes(makeTempDir(t), 'appended.png', await pngWith([], zip), 'png');
  const trailing = report.anomalies.find((a) => a.code === 'trailing_data');
  assert.ok(trailing, 'trailing data is an anomaly');
  assert.match(trailing.message, /^64 bytes follow the PNG IEND chunk/);
  assert.match(trailing.message, /ZIP archive/);
});

test('a chunk whose CRC does not match is named', async (t) => {
  const bytes = await pngWith([tEXt('Comment', 'edited after writing')]);
  const commentAt = bytes.indexOf(latin1('tEXtComment')) - 4;
  const crcAt = commentAt + 8 + bytes.readUInt32BE(commentAt);
  bytes[crcAt] = bytes[crcAt]! ^ 0xff;
  const report = await analyseBytes(makeTempDir(t), 'badcrc.png', bytes, 'png');
  const crc = report.anomalies.find((a) => a.code === 'png_crc_error');
  assert.ok(crc);
  assert.match(crc.message, new RegExp(`'tEXt' at byte ${commentAt}`));
  assert.equal(report.raw.pngChunks.filter((c) => !c.crcOk).length, 1);
});

test('a ComfyUI PNG yields checkpoint, LoRA, seed and sampler from the executed graph', async (t) => {
  const prompt = {
    '3': { class_type: 'KSampler', inputs: { seed: 156680208700286, steps: 20, cfg: 8, sampler_name: 'euler', scheduler: 'normal', model: ['10', 0] } },
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0.safetensors' } },
    '10': { class_type: 'LoraLoader', inputs: { lora_name: 'pixel-art-xl.safetensors', strength_model: 0.7, strength_clip: 1, model: ['4', 0] } },
  };
  const workflow = { nodes: [{ id: 4, type: 'CheckpointLoaderSimple', widgets_values: ['ignored-when-prompt-exists.safetensors'] }] };
  const bytes = await pngWith([tEXt('prompt', JSON.stringify(prompt)), tEXt('workflow', JSON.stringify(workflow))]);
  const report = await analyseBytes(makeTempDir(t), 'ComfyUI_00001_.png', bytes, 'png');
  assert.deepEqual(report.claimedGenerator, {
    tool: 'ComfyUI',
    model: 'sd_xl_base_1.0.safetensors',
    modelHash: null,
    loras: [{ name: 'pixel-art-xl.safetensors', weight: 0.7, hash: null }],
    seed: 156680208700286,
    source: 'comfyui',
  });
  const signal = report.signals.find((s) => s.source === 'comfyui');
  assert.match(signal?.interpretation ?? '', /samplers: euler/);
  assert.deepEqual(compareWithAttribution(report, { outcome: 'attributed', candidate: 'dalle2' }).map((c) => c.severity), ['warning']);
});

test('a ComfyUI editor graph alone is read from its widget values', async (t) => {
  const workflow = {
    nodes: [
      { id: 1, type: 'CheckpointLoaderSimple', widgets_values: ['v1-5-pruned-emaonly.safetensors'] },
      { id: 2, type: 'KSampler', widgets_values: [42, 'fixed', 20, 7, 'dpmpp_2m', 'karras', 1] },
    ],
  };
  const report = await analyseBytes(makeTempDir(t), 'editor.png', await pngWith([tEXt('workflow', JSON.stringify(workflow))]), 'png');
  assert.equal(report.claimedGenerator?.model, 'v1-5-pruned-emaonly.safetensors');
  assert.equal(report.claimedGenerator?.seed, 42);
  assert.deepEqual(compareWithAttribution(report, { outcome: 'attributed', candidate: 'sd15' }), [], 'SD 1.5 claim and SD 1.5 attribution agree');
});

test('a JPEG with XMP DigitalSourceType trainedAlgorithmicMedia is read as a generative-AI declaration', async (t) => {
  const jpeg = await gradient(32, 24).jpeg({ quality: 80 }).withXmp(xmpPacket({ 'Iptc4xmpExt:DigitalSourceType': AI_SOURCE, 'xmp:CreatorTool': 'Adobe Firefly' })).toBuffer();
  const report = await analyseBytes(makeTempDir(t), 'firefly.jpg', jpeg, 'jpeg');
  const sourceType = report.signals.find((s) => s.key === 'DigitalSourceType');
  assert.equal(sourceType?.source, 'xmp');
  assert.equal(sourceType?.value, AI_SOURCE);
  assert.match(sourceType?.interpretation ?? '', /generative AI model/);
  assert.deepEqual(report.claimedGenerator, { tool: 'Adobe Firefly', model: 'Adobe Firefly', modelHash: null, loras: [], seed: null, source: 'xmp' });
  const quality = report.anomalies.find((a) => a.code === 'jpeg_quality');
  assert.match(quality?.message ?? '', /about quality 80\b/);
  assert.equal(report.c2pa.state, 'absent');
});

test('a camera claim in XMP without EXIF, and contradicting the pixels, is flagged', async (t) => {
  const jpeg = await gradient(32, 24).jpeg().withXmp(xmpPacket({ 'Iptc4xmpExt:DigitalSourceType': 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture', 'tiff:Make': 'Canon' })).toBuffer();
  const report = await analyseBytes(makeTempDir(t), 'photo.jpg', jpeg, 'jpeg');
  assert.ok(codes(report).includes('camera_claim_without_exif'));
  const contradictions = compareWithAttribution(report, { outcome: 'attributed', candidate: 'sdxl' });
  assert.ok(contradictions.some((c) => c.severity === 'warning' && /XMP declares the image a capture \('digitalCapture'\)/.test(c.message)));
  assert.ok(contradictions.some((c) => /EXIF names a camera \(Canon\)/.test(c.message)));
});

test('web UI parameters in EXIF UserComment (how it saves JPEG) are parsed like the PNG chunk', async (t) => {
  const parameters = 'a cat\nNegative prompt: blurry\nSteps: 25, Sampler: DPM++ 2M, CFG scale: 5, Seed: 77, Size: 512x512, Model hash: abcdef0123, Model: dreamshaper_8, Version: f0.0.17v1.8.0rc-latest-276';
  const jpeg = await gradient(32, 24).jpeg().withExif({ IFD2: { UserComment: parameters } }).toBuffer();
  const report = await analyseBytes(makeTempDir(t), 'webui.jpg', jpeg, 'jpeg');
  assert.equal(report.claimedGenerator?.source, 'exif');
  assert.equal(report.claimedGenerator?.tool, 'Stable Diffusion web UI Forge');
  assert.equal(report.claimedGenerator?.model, 'dreamshaper_8');
  assert.equal(report.claimedGenerator?.seed, 77);
});

test('a crafted APP11 JUMBF store labelled c2pa is found, and the validator’s verdict is reported, not assumed', async (t) => {
  const jpeg = await gradient(32, 24).jpeg().toBuffer();
  const bytes = Buffer.concat([jpeg.subarray(0, 2), jpegApp11(c2paJumbf()), jpeg.subarray(2)]);
  const report = await analyseBytes(makeTempDir(t), 'jumbf.jpg', bytes, 'jpeg');
  assert.deepEqual(report.c2pa.locations, ["JPEG APP11 JUMBF segment at byte 2 (label 'c2pa')"]);
  assert.equal(report.c2pa.manifestLabel, 'c2pa');
  // c2pa-rs finds no claim in the store: a manifest that cannot be validated is not valid.
  assert.equal(report.c2pa.state, 'invalid');
  assert.match(report.c2pa.details, /cannot be read as a valid manifest \(@contentauth\/c2pa-wasm [\d.]+: C2pa\(/);
  assert.equal(report.c2pa.signer, null);
});

test('a C2PA store in a format the validator is not given is reported present and not validated', async (t) => {
  const bytes = await pngWith([pngChunk('caBX', c2paJumbf())]);
  const report = await analyseBytes(makeTempDir(t), 'store.bin', bytes, null);
  assert.equal(report.c2pa.state, 'present_not_validated');
  assert.match(report.c2pa.details, /present but was not validated/);
  assert.match(report.c2pa.locations[0] ?? '', /^PNG caBX chunk at byte \d+ \(label 'c2pa'\)$/);
});

test('XMP that refers to content credentials without a manifest store hints at a stripped manifest', async (t) => {
  const jpeg = await gradient(32, 24).jpeg().withXmp(xmpPacket({ 'dcterms:provenance': 'self#jumbf=/c2pa/urn:uuid:0a1b2c3d/c2pa.assertions' })).toBuffer();
  const report = await analyseBytes(makeTempDir(t), 'stripped.jpg', jpeg, 'jpeg');
  assert.equal(report.c2pa.state, 'absent');
  const hint = report.anomalies.find((a) => a.code === 'c2pa_stripped_hint');
  assert.match(hint?.message ?? '', /XMP-dcterms:Provenance = self#jumbf=\/c2pa\//);
});

test('bytes after the JPEG EOI and beyond the declared RIFF size are found', async (t) => {
  const dir = makeTempDir(t);
  const jpeg = await gradient(32, 24).jpeg().toBuffer();
  const jpegReport = await analyseBytes(dir, 'tail.jpg', Buffer.concat([jpeg, Buffer.alloc(16)]), 'jpeg');
  assert.match(jpegReport.anomalies.find((a) => a.code === 'trailing_data')?.message ?? '', /^16 bytes follow the JPEG EOI marker .*all zero bytes/);
  const webp = await gradient(32, 24).webp({ lossless: true }).toBuffer();
  const webpReport = await analyseBytes(dir, 'tail.webp', Buffer.concat([webp, jpeg]), 'webp');
  assert.match(webpReport.anomalies.find((a) => a.code === 'trailing_data')?.message ?? '', /follow the size the RIFF header declares .*begins like a JPEG image/);
  assert.ok(!codes(webpReport).includes('lossy_webp'), 'lossless WebP (VP8L) is not lossy');
});
