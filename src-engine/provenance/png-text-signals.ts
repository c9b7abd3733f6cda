// Turns PNG text chunks into signals: the generation tools' own keywords are interpreted (web UI
// `parameters`, ComfyUI `prompt`/`workflow`); every other keyword is kept as it was written.
import { clip } from './bounded-text.ts';
import { claimFromComfyGraph, comfySignals, parseComfyGraph } from './comfyui.ts';
import type { PngText } from './png-chunks.ts';
import { claimFromSdParameters, parseSdParameters, sdParameterSignals } from './sd-parameters.ts';
import type { ClaimedGenerator, ProvenanceSignal } from '../api/provenance.ts';

/** Keywords other generation tools are known to write, and which tool each one names. */
const TOOL_KEYWORDS: Record<string, string> = {
  invokeai_metadata: 'InvokeAI',
  invokeai_graph: 'InvokeAI',
  'sd-metadata': 'InvokeAI (legacy)',
  Dream: 'InvokeAI (legacy)',
  fooocus_scheme: 'Fooocus',
  'XML:com.adobe.xmp': '(XMP packet: read with the XMP metadata)',
};

export interface PngTextReading {
  signals: ProvenanceSignal[];
  claim: ClaimedGenerator | null;
}

export function readPngTexts(texts: readonly PngText[]): PngTextReading {
  const byKeyword = new Map(texts.map((t) => [t.keyword, t.text]));
  const signals: ProvenanceSignal[] = [];
  let claim: ClaimedGenerator | null = null;

  const parameters = byKeyword.get('parameters');
  if (parameters) {
    const parsed = parseSdParameters(parameters);
    signals.push(...sdParameterSignals(parsed, 'png:parameters'));
    claim = claimFromSdParameters(parsed, 'png:parameters');
  }
  const comfy = parseComfyGraph(byKeyword.get('prompt'), byKeyword.get('workflow'));
  if (comfy) {
    signals.push(...comfySignals(comfy, byKeyword.get(comfy.from) ?? ''));
    claim ??= claimFromComfyGraph(comfy);
  }
  for (const text of texts) {
    if (text.keyword === 'parameters' || (comfy && (text.keyword === 'prompt' || text.keyword === 'workflow'))) continue;
    const tool = TOOL_KEYWORDS[text.keyword];
    signals.push({
      source: 'png:text',
      key: `${text.chunk} ${text.keyword}`,
      value: text.error ? `(undecodable: ${text.error})` : clip(text.text),
      interpretation: tool ? `keyword written by ${tool}` : null,
    });
  }
  return { signals, claim };
}
