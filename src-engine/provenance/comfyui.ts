// Reads what ComfyUI embeds in its PNGs: `prompt` (the executed graph, API format: node id ->
// {class_type, inputs}) and `workflow` (the editor graph: nodes with positional widget values).
// The executed graph is preferred: it is what ran. The editor graph is read only without it.
import { clip } from './bounded-text.ts';
import type { ClaimedGenerator, LoraReference, ProvenanceSignal } from '../api/provenance.ts';

export interface ComfyGraph {
  checkpoints: string[];
  loras: LoraReference[];
  seeds: number[];
  samplers: string[];
  /** Node types in the graph, for the appendix: custom nodes can say a lot about the pipeline. */
  nodeTypes: string[];
  from: 'prompt' | 'workflow';
}

interface ApiNode {
  class_type?: unknown;
  inputs?: Record<string, unknown>;
}

interface EditorNode {
  type?: unknown;
  widgets_values?: unknown;
}

/** Returns null when neither text is a ComfyUI graph (other tools also use a `prompt` keyword). */
export function parseComfyGraph(promptText: string | undefined, workflowText: string | undefined): ComfyGraph | null {
  const api = parseJsonObject(promptText);
  if (api && Object.values(api).some((node) => isObject(node) && typeof node['class_type'] === 'string')) {
    return fromApiGraph(api as Record<string, ApiNode>);
  }
  const editor = parseJsonObject(workflowText);
  if (editor && Array.isArray(editor['nodes'])) return fromEditorGraph(editor['nodes'] as EditorNode[]);
  return null;
}

function fromApiGraph(graph: Record<string, ApiNode>): ComfyGraph {
  const result = emptyGraph('prompt');
  for (const node of Object.values(graph)) {
    const inputs = isObject(node.inputs) ? node.inputs : {};
    if (typeof node.class_type === 'string') result.nodeTypes.push(node.class_type);
    addIfText(result.checkpoints, inputs['ckpt_name'] ?? inputs['unet_name']);
    if (typeof inputs['lora_name'] === 'string') {
      const weight = inputs['strength_model'];
      result.loras.push({ name: inputs['lora_name'], weight: typeof weight === 'number' ? weight : null, hash: null });
    }
    addIfNumber(result.seeds, inputs['seed'] ?? inputs['noise_seed']);
    addIfText(result.samplers, inputs['sampler_name']);
  }
  return dedupe(result);
}

/** Editor nodes carry widget values by position; the positions below are those of ComfyUI's core nodes. */
function fromEditorGraph(nodes: EditorNode[]): ComfyGraph {
  const result = emptyGraph('workflow');
  for (const node of nodes) {
    if (typeof node.type !== 'string') continue;
    result.nodeTypes.push(node.type);
    const widgets = Array.isArray(node.widgets_values) ? (node.widgets_values as unknown[]) : [];
    if (/CheckpointLoader|UNETLoader/.test(node.type)) addIfText(result.checkpoints, widgets[0]);
    if (/LoraLoader/.test(node.type) && typeof widgets[0] === 'string') {
      result.loras.push({ name: widgets[0], weight: typeof widgets[1] === 'number' ? widgets[1] : null, hash: null });
    }
    if (node.type === 'KSampler') {
      addIfNumber(result.seeds, widgets[0]);
      addIfText(result.samplers, widgets[4]);
    }
    if (node.type === 'KSamplerAdvanced') {
      addIfNumber(result.seeds, widgets[1]);
      addIfText(result.samplers, widgets[5]);
    }
  }
  return dedupe(result);
}

export function claimFromComfyGraph(graph: ComfyGraph): ClaimedGenerator {
  return {
    tool: 'ComfyUI',
    model: graph.checkpoints[0] ?? null,
    modelHash: null,
    loras: graph.loras,
    seed: graph.seeds[0] ?? null,
    source: 'comfyui',
  };
}

export function comfySignals(graph: ComfyGraph, rawText: string): ProvenanceSignal[] {
  const interpretation = [
    'generator tool: ComfyUI',
    `checkpoints: ${graph.checkpoints.join(', ') || 'none named'}`,
    `LoRAs: ${graph.loras.map((l) => l.name).join(', ') || 'none'}`,
    `seeds: ${graph.seeds.join(', ') || 'none'}`,
    `samplers: ${graph.samplers.join(', ') || 'none'}`,
    graph.checkpoints.length > 1 ? 'several checkpoints in one graph: the claimed model is the first listed' : '',
  ]
    .filter(Boolean)
    .join('; ');
  return [{ source: 'comfyui', key: graph.from, value: clip(rawText), interpretation }];
}

function emptyGraph(from: ComfyGraph['from']): ComfyGraph {
  return { checkpoints: [], loras: [], seeds: [], samplers: [], nodeTypes: [], from };
}

function dedupe(graph: ComfyGraph): ComfyGraph {
  const seenLoras = new Set<string>();
  return {
    ...graph,
    checkpoints: [...new Set(graph.checkpoints)],
    loras: graph.loras.filter((l) => !seenLoras.has(l.name) && seenLoras.add(l.name)),
    seeds: [...new Set(graph.seeds)],
    samplers: [...new Set(graph.samplers)],
    nodeTypes: [...new Set(graph.nodeTypes)],
  };
}

function parseJsonObject(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function addIfText(list: string[], value: unknown): void {
  if (typeof value === 'string' && value) list.push(value);
}

function addIfNumber(list: number[], value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) list.push(value);
}
