// C2PA content credentials: found by our own container scan (c2pa-stores.ts), read and validated
// by c2pa-rs compiled to WebAssembly (@contentauth/c2pa-wasm), which runs offline in Node and in
// Electron alike. Remote manifests and OCSP are never fetched: the workstation stays offline, and
// what could not be checked is reported as not validated, never as valid.
import fs from 'node:fs';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';
import wasmPackage from '@contentauth/c2pa-wasm/package.json' with { type: 'json' };
import type { C2paStoreLocation } from './c2pa-stores.ts';
import { describeDigitalSourceType } from './metadata.ts';
import type { C2paStatus, ProvenanceSignal } from '../api/provenance.ts';

export const C2PA_VALIDATOR = `@contentauth/c2pa-wasm ${wasmPackage.version}`;

export interface C2paOptions {
  /** PEM trust anchors (e.g. the C2PA trust list a lab has downloaded); none are bundled. */
  trustAnchorsPem?: string;
}

export interface C2paReading {
  status: C2paStatus;
  signals: ProvenanceSignal[];
  /** The AI tool the active manifest names as creating the content, when it names one. */
  creatingAgent: string | null;
}

const MIME_BY_FORMAT: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  tiff: 'image/tiff',
  gif: 'image/gif',
  heic: 'image/heic',
};

let validatorReady = false;

function ensureValidator(): void {
  if (validatorReady) return;
  initSync({ module: fs.readFileSync(new URL(import.meta.resolve('@contentauth/c2pa-wasm/c2pa.wasm'))) });
  validatorReady = true;
}

interface ManifestJson {
  claim_generator?: string;
  claim_generator_info?: Array<{ name?: string; version?: string }>;
  signature_info?: { issuer?: string; common_name?: string; time?: string };
  assertions?: Array<{ label?: string; data?: { actions?: C2paAction[] } }>;
}

interface C2paAction {
  action?: string;
  digitalSourceType?: string;
  softwareAgent?: string | { name?: string; version?: string };
}

interface StoreJson {
  active_manifest?: string;
  manifests?: Record<string, ManifestJson>;
  validation_state?: 'Invalid' | 'Valid' | 'Trusted';
  validation_status?: Array<{ code: string }>;
  validation_results?: {
    activeManifest?: { success?: Array<{ code: string }>; failure?: Array<{ code: string }>; informational?: Array<{ code: string }> };
  };
}

export async function readC2pa(
  bytes: Buffer,
  format: string | null,
  stores: readonly C2paStoreLocation[],
  options: C2paOptions = {},
): Promise<C2paReading> {
  const locations = stores.map((s) => (s.label ? `${s.where} (label '${s.label}')` : s.where));
  const mime = format ? MIME_BY_FORMAT[format] : undefined;
  const base = { manifestLabel: stores[0]?.label ?? null, claimGenerator: null, signer: null, validationCodes: [], locations };
  if (!mime) {
    return withoutValidation(base, stores, `the content format (${format ?? 'unknown'}) is not one the C2PA validator reads`);
  }
  let store: StoreJson;
  try {
    ensureValidator();
    const reader = await WasmReader.fromBytes(mime, bytes, readerSettings(options));
    try {
      store = JSON.parse(reader.json()) as StoreJson;
    } finally {
      reader.free();
    }
  } catch (error) {
    return fromReaderError(String(error), base, stores);
  }
  return fromStore(store, base);
}

function readerSettings(options: C2paOptions): string {
  return JSON.stringify({
    verify: { remote_manifest_fetch: false, ocsp_fetch: false },
    ...(options.trustAnchorsPem ? { trust: { trust_anchors: options.trustAnchorsPem } } : {}),
  });
}

type StatusBase = Pick<C2paStatus, 'manifestLabel' | 'claimGenerator' | 'signer' | 'validationCodes' | 'locations'>;

/** Absent when our scan found no store; otherwise present, with the reason it was not validated. */
function withoutValidation(base: StatusBase, stores: readonly C2paStoreLocation[], why: string): C2paReading {
  const status: C2paStatus =
    stores.length === 0
      ? { ...base, state: 'absent', details: 'no C2PA manifest store in the file' }
      : { ...base, state: 'present_not_validated', details: `a C2PA manifest store is present but was not validated: ${why}` };
  return { status, signals: [], creatingAgent: null };
}

/**
 * c2pa-rs reports its verdicts as "C2pa(<Error>)" strings. Only those judge the manifest; anything
 * else is a failure of the validator itself and leaves the store not validated.
 */
function fromReaderError(message: string, base: StatusBase, stores: readonly C2paStoreLocation[]): C2paReading {
  const remote = /RemoteManifest(?:Url|Fetch)\("?([^")]*)/.exec(message);
  if (remote) {
    return {
      status: {
        ...base,
        state: 'present_not_validated',
        details: `the file refers to a remote C2PA manifest (${remote[1]}); this workstation works offline and did not fetch it, so it is not validated`,
      },
      signals: [{ source: 'c2pa', key: 'remote manifest', value: remote[1] ?? '', interpretation: 'content credentials kept outside the file' }],
      creatingAgent: null,
    };
  }
  if (/JumbfNotFound/.test(message)) return withoutValidation(base, stores, `the validator (${C2PA_VALIDATOR}) did not find the store located by this scan`);
  if (/UnsupportedType/.test(message)) return withoutValidation(base, stores, `the validator (${C2PA_VALIDATOR}) does not support this format`);
  if (!message.startsWith('C2pa(')) return withoutValidation(base, stores, `no C2PA validator available in this installation (${message})`);
  // Without a manifest store there is nothing to judge: a truncated or damaged file the validator
  // cannot parse is not "C2PA invalid" (the container anomalies say what is wrong with it).
  if (stores.length === 0) {
    return { status: { ...base, state: 'absent', details: `no C2PA manifest store in the file (the validator could not parse the file: ${message})` }, signals: [], creatingAgent: null };
  }
  // C2PA data is there and c2pa-rs could not make a valid manifest out of it: that is what 'invalid' means.
  return {
    status: { ...base, state: 'invalid', validationCodes: [message], details: `the C2PA manifest store cannot be read as a valid manifest (${C2PA_VALIDATOR}: ${message})` },
    signals: [],
    creatingAgent: null,
  };
}

function fromStore(store: StoreJson, base: StatusBase): C2paReading {
  const label = store.active_manifest ?? base.manifestLabel;
  const manifest = label ? store.manifests?.[label] : undefined;
  const results = store.validation_results?.activeManifest;
  // Problems and notes in full; of the successes only the signer's trust, which the state hinges on.
  const codes = [
    ...(store.validation_status ?? []),
    ...(results?.failure ?? []),
    ...(results?.informational ?? []),
    ...(results?.success ?? []).filter((s) => s.code.startsWith('signingCredential.')),
  ].map((s) => s.code);
  const validationCodes = [...new Set(codes)];
  const claimGenerator = claimGeneratorOf(manifest);
  const signature = manifest?.signature_info;
  const signer = signature ? { issuer: signature.issuer ?? null, commonName: signature.common_name ?? null, signedUtc: signature.time ?? null } : null;
  const state = store.validation_state === 'Trusted' ? 'valid_trusted' : store.validation_state === 'Valid' ? 'valid_untrusted' : 'invalid';
  const actions = (manifest?.assertions ?? [])
    .filter((a) => a.label?.startsWith('c2pa.actions'))
    .flatMap((a) => a.data?.actions ?? []);
  return {
    status: { ...base, state, manifestLabel: label ?? null, claimGenerator, signer, validationCodes, details: describeState(state, validationCodes, signer) },
    signals: [
      ...(claimGenerator ? [{ source: 'c2pa' as const, key: 'claim_generator', value: claimGenerator, interpretation: 'software that wrote the C2PA claim' }] : []),
      ...actions.flatMap(actionSignals),
    ],
    creatingAgent: creatingAgentOf(actions),
  };
}

function claimGeneratorOf(manifest: ManifestJson | undefined): string | null {
  if (manifest?.claim_generator) return manifest.claim_generator;
  const info = manifest?.claim_generator_info?.[0];
  return info?.name ? [info.name, info.version].filter(Boolean).join(' ') : null;
}

function describeState(state: C2paStatus['state'], codes: readonly string[], signer: C2paStatus['signer']): string {
  const by = signer ? ` signed by '${signer.commonName ?? '?'}' (issuer '${signer.issuer ?? '?'}')` : '';
  switch (state) {
    case 'valid_trusted':
      return `the manifest is intact and its signature valid,${by}, a signer on a configured trust list`;
    case 'valid_untrusted':
      if (codes.includes('signingCredential.trusted')) {
        return `the manifest is intact and its signature valid,${by}, a signer on a configured trust list; the validator still withholds 'trusted' because of: ${codes.filter((c) => c.endsWith('.untrusted')).join(', ') || 'see validation codes'}`;
      }
      return `the manifest is intact and its signature valid,${by}, but the signer is on no trust list configured in this installation (no C2PA trust list is bundled): anyone can make such a signature`;
    default:
      return `validation failed: ${codes.filter((c) => !/\.(validated|match|trusted|insideValidity)$/.test(c)).join(', ') || 'see validation codes'}`;
  }
}

function agentName(agent: C2paAction['softwareAgent']): string | null {
  if (!agent) return null;
  return typeof agent === 'string' ? agent : [agent.name, agent.version].filter(Boolean).join(' ') || null;
}

function actionSignals(action: C2paAction): ProvenanceSignal[] {
  const agent = agentName(action.softwareAgent);
  const sourceType = action.digitalSourceType?.trim();
  const signals: ProvenanceSignal[] = [
    { source: 'c2pa', key: `action ${action.action ?? '?'}`, value: agent ? `software agent ${agent}` : '(no software agent named)', interpretation: null },
  ];
  if (sourceType) signals.push({ source: 'c2pa', key: 'DigitalSourceType', value: sourceType, interpretation: describeDigitalSourceType(sourceType) });
  return signals;
}

/** The software agent of a 'created' action whose source type is generative AI. */
function creatingAgentOf(actions: readonly C2paAction[]): string | null {
  const created = actions.find((a) => a.action === 'c2pa.created' && /trainedAlgorithmicMedia/.test(a.digitalSourceType ?? ''));
  return agentName(created?.softwareAgent);
}
