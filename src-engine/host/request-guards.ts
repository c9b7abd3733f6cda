// Checks that decide whether a request may reach the loopback host at all. The host listens on
// 127.0.0.1, but any web page the examiner has open can still send requests to it: these stop
// DNS rebinding (Host), cross-site requests (Origin) and callers without the launch token.
import { createHash, timingSafeEqual } from 'node:crypto';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

/** Host header values that address this server by a loopback name: anything else is rebinding. */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return LOOPBACK_NAMES.some((name) => hostHeader.toLowerCase() === `${name}:${port}`);
}

/** Browsers send Origin on cross-origin requests and on same-origin POSTs; it must be ours. */
export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  return LOOPBACK_NAMES.some((name) => originHeader.toLowerCase() === `http://${name}:${port}`);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorizationHeader: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(authorizationHeader ?? '');
  return match?.[1] ?? null;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time comparison: hashing first gives equal lengths, so timing says nothing about the token. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  return timingSafeEqual(digest(candidate), digest(token));
}
