// The sidecar of a layered encoder, <name>.layers.json next to <name>.onnx: how to feed the model
// and which of its outputs are the per-block embeddings, in block order. Any ViT exported with
// one output per block and such a sidecar can be used (docs/methods.md §2: the encoder must accept a
// ViT the examiner trusts):
//   { "input": "pixel_values", "size": 224, "resize": 256, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
//     "outputs": ["cls_1", ..., "cls_12"], "token": null }
// Preprocessing: shorter side resized to `resize` (bilinear), centre crop `size` x `size`, RGB in
// [0, 1] normalised as (x - mean) / std, fed as float32 [N, 3, size, size]. `token`: null when
// each output is [N, D] (the CLS token already taken), or the token index to take from [N, T, D].
import fs from 'node:fs';
import { z } from 'zod';

const channelTriple = (what: string, positive: boolean) =>
  z.tuple([z.number(), z.number(), z.number()], { error: `"${what}" must be three numbers (R, G, B)` }).refine((values) => values.every((v) => Number.isFinite(v) && (!positive || v > 0)), `"${what}" must hold finite${positive ? ', positive' : ''} numbers`);

const sidecarSchema = z
  .object({
    input: z.string({ error: '"input" must name the model input (e.g. "pixel_values")' }).min(1),
    size: z.number({ error: '"size" must be the crop side in pixels' }).int().min(8).max(2048),
    resize: z.number({ error: '"resize" must be the shorter side in pixels before the crop' }).int().min(8).max(4096),
    mean: channelTriple('mean', false),
    std: channelTriple('std', true),
    outputs: z.array(z.string().min(1), { error: '"outputs" must list the per-block output names in block order' }).min(1).max(256),
    token: z.number({ error: '"token" must be null or a token index' }).int().min(0).nullable(),
    description: z.string().optional(),
  })
  .strict()
  .refine((s) => s.resize >= s.size, { message: '"resize" must be at least "size": the crop is taken from the resized image', path: ['resize'] })
  .refine((s) => new Set(s.outputs).size === s.outputs.length, { message: '"outputs" names an output twice', path: ['outputs'] });

export type LayeredSidecar = z.infer<typeof sidecarSchema>;

export function sidecarPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '.layers.json');
}

/** Reads and checks a sidecar; the error names the file and what is wrong with it. */
export function readSidecar(file: string): LayeredSidecar {
  if (!fs.existsSync(file)) throw new Error(`the layered encoder's sidecar ${file} is missing: it says how to feed the model and which outputs are its layers`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSidecar(json, file);
}

export function parseSidecar(json: unknown, file = 'the sidecar'): LayeredSidecar {
  const parsed = sidecarSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new Error(`${file} is not a valid layered-encoder sidecar${where}: ${issue.message}`);
  }
  return parsed.data;
}
