// The provenance report of one evidence item: plain JSON (no Dates, Buffers or Maps), because it
// is stored in the case as text and will cross the API boundary unchanged.

/** Where a signal was read from: a PNG text chunk by keyword, a metadata family, or a C2PA manifest. */
export type ProvenanceSource =
  | 'png:parameters'
  | 'png:text'
  | 'comfyui'
  | 'exif'
  | 'xmp'
  | 'iptc'
  | 'c2pa';

/** One line of evidence. Every one of them can be removed or forged: none is a finding on its own. */
export interface ProvenanceSignal {
  source: ProvenanceSource;
  key: string;
  value: string;
  /** What the value means to an examiner, e.g. "generator tool: Stable Diffusion web UI; model: ...". */
  interpretation: string | null;
}

export interface LoraReference {
  name: string;
  /** The strength written in the prompt tag or loader node; null when only a hash names it. */
  weight: number | null;
  hash: string | null;
}

/** What the file says made it, normalised across the tools that write such claims. */
export interface ClaimedGenerator {
  tool: string;
  model: string | null;
  modelHash: string | null;
  loras: LoraReference[];
  seed: number | null;
  /** The signal the claim was taken from. */
  source: ProvenanceSource;
}

/**
 * 'valid_untrusted' (the signature checks out but its signer is on no trust list configured here)
 * is the common state of genuine manifests and is deliberately distinct from 'valid_trusted'.
 * 'present_not_validated' means a manifest store was found but no validator could judge it.
 */
export type C2paState = 'absent' | 'present_not_validated' | 'valid_trusted' | 'valid_untrusted' | 'invalid';

export interface C2paStatus {
  state: C2paState;
  manifestLabel: string | null;
  claimGenerator: string | null;
  /** The signing certificate as the validator read it; null when not validated. */
  signer: { issuer: string | null; commonName: string | null; signedUtc: string | null } | null;
  /** Validator status codes, e.g. 'signingCredential.untrusted', 'assertion.dataHash.mismatch'. */
  validationCodes: string[];
  /** Where the manifest store sits in the file, e.g. "JPEG APP11 JUMBF at byte 2". */
  locations: string[];
  details: string;
}

export type Severity = 'info' | 'warning' | 'critical';

export type AnomalyCode =
  | 'extension_mismatch'
  | 'trailing_data'
  | 'png_crc_error'
  | 'container_structure'
  | 'lossy_webp'
  | 'jpeg_quality'
  | 'camera_claim_without_exif'
  | 'no_metadata'
  | 'c2pa_stripped_hint'
  | 'metadata_unreadable';

export interface ProvenanceAnomaly {
  code: AnomalyCode;
  severity: Severity;
  message: string;
}

export interface Contradiction {
  severity: Severity;
  message: string;
}

export interface ProvenanceReport {
  reportVersion: 1;
  file: { format: string | null; extension: string; sizeBytes: number };
  signals: ProvenanceSignal[];
  claimedGenerator: ClaimedGenerator | null;
  c2pa: C2paStatus;
  anomalies: ProvenanceAnomaly[];
  /** Metadata as the tools read it, for the report appendix; bounded in size (see `truncated`). */
  raw: {
    metadata: Record<string, string>;
    pngChunks: Array<{ type: string; offset: number; length: number; crcOk: boolean }>;
    truncated: boolean;
  };
  /** Names and versions of the readers that produced this report, for reproducibility. */
  tools: Record<string, string>;
}
