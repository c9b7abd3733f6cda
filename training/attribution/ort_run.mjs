// Runs an exported ONNX model with onnxruntime-node, the engine's runtime, so the Python export
// is checked against the runtime that will execute it (Python has no onnxruntime here).
// Usage: node training/attribution/ort_run.mjs MODEL.onnx IN.json OUT.json
//   IN.json  { "<input name>": { "dims": [..], "b64": base64 of float32 LE } }
//   OUT.json same shape, one entry per model output.
import fs from 'node:fs';
import ort from 'onnxruntime-node';

const [modelPath, inPath, outPath] = process.argv.slice(2);
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const feeds = {};
for (const [name, { dims, b64 }] of Object.entries(JSON.parse(fs.readFileSync(inPath, 'utf8')))) {
  const buf = Buffer.from(b64, 'base64');
  feeds[name] = new ort.Tensor('float32', new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4), dims);
}
const results = await session.run(feeds);
const out = {};
for (const name of session.outputNames) {
  const t = results[name];
  out[name] = { dims: t.dims, b64: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64') };
}
fs.writeFileSync(outPath, JSON.stringify(out));
