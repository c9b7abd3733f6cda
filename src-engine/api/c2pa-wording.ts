// How each C2PA state reads to an examiner, in the app and in reports alike. 'valid_untrusted'
// must never read as plain "valid": the signature verifies, but nobody configured here vouches
// for the signer. Plain data, so the renderer can import it.
import type { C2paState } from './provenance.ts';

export const C2PA_WORDING: Record<C2paState, string> = {
  absent: 'no C2PA manifest found',
  present_not_validated: 'a C2PA manifest is present but could not be validated',
  valid_trusted: 'valid signature from a trusted signer',
  valid_untrusted: 'valid signature, but the signer is not on any trust list configured here (valid but untrusted)',
  invalid: 'INVALID: the manifest or its signature does not verify',
};

/** Badge tone per state: only a trusted signature is good news, only an invalid one is bad. */
export const C2PA_TONE: Record<C2paState, 'ok' | 'info' | 'warning' | 'critical'> = {
  absent: 'info',
  present_not_validated: 'warning',
  valid_trusted: 'ok',
  valid_untrusted: 'warning',
  invalid: 'critical',
};
