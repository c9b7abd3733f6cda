// Parses the `parameters` text that Stable Diffusion web UI (AUTOMATIC1111) and its forks write
// into PNG tEXt chunks and JPEG/WebP EXIF UserComment:
//   <prompt, may span lines>
//   Negative prompt: <may span lines>
//   Steps: 30, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 832x1216, Model hash: ..., Model: ...
import { clip } from './bounded-text.ts';
import type { ClaimedGenerator, LoraReference, ProvenanceSignal } from '../api/provenance.ts';

export interface SdParameters {
  tool: string;
  prompt: string;
  negativePrompt: string;
  /** Every `key: value` pair of the settings line, values unquoted, in order. */
  settings: Record<string, string>;
  seed: number | null;
  model: string | null;
  modelHash: string | null;
  loras: LoraReference[];
}

/** The web UI's own pattern for one `key: value` pair; quoted values may contain commas. */
const SETTING = /\s*(\w[\w \-/+]*):\s*("(?:\\.|[^\\"])*"|[^,]*)(?:,|$)/g;
/** `Hashes: {...}` (web UI 1.6+) is bare JSON with commas inside: taken out before the pairs are split. */
const HASHES_JSON = /(?:^|,\s*)Hashes:\s*(\{[^{}]*\})/;
const LORA_TAG = /<(?:lora|lyco):([^>]+)>/gi;
const NEGATIVE = 'Negative prompt:';

/** Whether a text looks like web UI parameters: a settings line with Steps and Seed. */
export function looksLikeSdParameters(text: string): boolean {
  return /(^|\n)Steps: \d+,.*\bSeed: -?\d+/.test(text);
}

export function parseSdParameters(text: string): SdParameters {
  const lines = text.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  const hasSettings = /^Steps: \d+/.test(last);
  const settings = hasSettings ? parseSettingsLine(last) : {};
  const body = (hasSettings ? lines.slice(0, -1) : lines).join('\n');
  const negativeAt = body.indexOf(NEGATIVE);
  const prompt = (negativeAt === -1 ? body : body.slice(0, negativeAt)).trim();
  const negativePrompt = negativeAt === -1 ? '' : body.slice(negativeAt + NEGATIVE.length).trim();
  const seed = Number.parseInt(settings['Seed'] ?? '', 10);
  return {
    tool: toolFromVersion(settings['Version']),
    prompt,
    negativePrompt,
    settings,
    seed: Number.isFinite(seed) ? seed : null,
    model: settings['Model'] || null,
    modelHash: settings['Model hash'] || null,
    loras: lorasOf(prompt, settings['Lora hashes']),
  };
}

function parseSettingsLine(line: string): Record<string, string> {
  const settings: Record<string, string> = {};
  const hashes = HASHES_JSON.exec(line);
  if (hashes) settings['Hashes'] = hashes[1]!;
  const rest = hashes ? line.replace(hashes[0], '') : line;
  for (const [, key, raw] of rest.matchAll(SETTING)) {
    settings[key!.trim()] = unquote(raw!.trim());
  }
  return settings;
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}

/** Forge writes versions such as "f0.0.17v1.8.0rc-...", the original web UI "v1.7.0-133-g...". */
function toolFromVersion(version: string | undefined): string {
  if (version && /^f\d/.test(version)) return 'Stable Diffusion web UI Forge';
  return 'Stable Diffusion web UI';
}

/**
 * LoRAs named in the prompt (`<lora:name:weight>`) joined with the hashes the settings line
 * records. A LoRA in the prompt without a hash was not found by the web UI when it generated,
 * or was added by an extension: both are kept, since either is a claim.
 */
function lorasOf(prompt: string, loraHashes: string | undefined): LoraReference[] {
  const hashes = new Map<string, string>();
  for (const entry of (loraHashes ?? '').split(',')) {
    const split = entry.lastIndexOf(':');
    if (split > 0) hashes.set(entry.slice(0, split).trim(), entry.slice(split + 1).trim());
  }
  const loras = new Map<string, LoraReference>();
  for (const [, inner] of prompt.matchAll(LORA_TAG)) {
    const [name = '', weight] = inner!.split(':');
    const parsed = Number.parseFloat(weight ?? '');
    if (!loras.has(name)) loras.set(name, { name, weight: Number.isFinite(parsed) ? parsed : null, hash: hashes.get(name) ?? null });
  }
  for (const [name, hash] of hashes) {
    if (!loras.has(name)) loras.set(name, { name, weight: null, hash });
  }
  return [...loras.values()];
}

export function claimFromSdParameters(params: SdParameters, source: ClaimedGenerator['source']): ClaimedGenerator {
  return { tool: params.tool, model: params.model, modelHash: params.modelHash, loras: params.loras, seed: params.seed, source };
}

export function sdParameterSignals(params: SdParameters, source: ProvenanceSignal['source']): ProvenanceSignal[] {
  const loraText = params.loras.map((l) => `${l.name}${l.weight === null ? '' : ` (weight ${l.weight})`}`).join(', ');
  const summary = [
    `generator tool: ${params.tool}`,
    `model: ${params.model ?? 'not named'}${params.modelHash ? ` (hash ${params.modelHash})` : ''}`,
    `LoRAs: ${loraText || 'none'}`,
    `seed: ${params.seed ?? 'not given'}`,
  ].join('; ');
  const signals: ProvenanceSignal[] = [{ source, key: 'parameters', value: clip(params.prompt), interpretation: summary }];
  if (params.negativePrompt) signals.push({ source, key: 'Negative prompt', value: clip(params.negativePrompt), interpretation: null });
  for (const [key, value] of Object.entries(params.settings)) {
    signals.push({ source, key, value, interpretation: SETTING_MEANINGS[key] ?? null });
  }
  return signals;
}

const SETTING_MEANINGS: Record<string, string> = {
  Model: 'checkpoint file the image claims to come from',
  'Model hash': 'short hash of the checkpoint file (web UI: first 10 hex digits of its SHA-256)',
  Seed: 'random seed: with the same model and settings it reproduces the image',
  VAE: 'VAE used to decode the latent image',
  'Lora hashes': 'LoRA files the web UI found, with short hashes',
  Version: 'web UI version that wrote these parameters',
};
