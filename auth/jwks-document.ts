/**
 * Turns a fetched JWKS document into the public keys we are willing to verify with.
 *
 * The document as a whole must be `{ "keys": [ {…}, … ] }`; anything else is refused, so a
 * broken response never replaces a good key set. Individual keys that do not fit our policy
 * are dropped, not fatal, because issuers legitimately publish encryption or other-type keys
 * next to their signing keys: only RSA keys, `use` absent or `sig`, `key_ops` (if any)
 * allowing `verify`, an `alg` (if any) on our allow-list, a modulus of at least 2048 bits and a
 * public exponent FIPS 186-5 allows (odd, 65537 ≤ e < 2²⁵⁶; e = 1 would make any "signature" valid).
 * Each kept key is rebuilt from its public members only (never a spread of the input).
 */
import type { JWK } from 'jose';
import { z } from 'zod';
import { IssuerFetchError } from './errors.ts';

export const MIN_RSA_MODULUS_BITS = 2048;

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/);

const rsaSigningKey = z.object({
  kty: z.literal('RSA'),
  n: base64url,
  e: base64url,
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.literal('sig').optional(),
  key_ops: z.array(z.string()).refine((ops) => ops.includes('verify')).optional(),
});

export interface RsaPublicJwk extends JWK {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
}

/** The keys of `document` usable for `algorithms`; throws IssuerFetchError when none are. */
export function usableSigningKeys(document: unknown, algorithms: readonly string[], where: string): RsaPublicJwk[] {
  if (!isPlainObject(document) || !Array.isArray(document.keys) || !document.keys.every(isPlainObject)) {
    throw new IssuerFetchError('invalid_document', where);
  }
  const kept: RsaPublicJwk[] = [];
  for (const candidate of document.keys) {
    const key = usableKey(candidate, algorithms);
    if (key) kept.push(key);
  }
  if (kept.length === 0) throw new IssuerFetchError('no_usable_keys', where);
  return kept;
}

function usableKey(candidate: unknown, algorithms: readonly string[]): RsaPublicJwk | undefined {
  const parsed = rsaSigningKey.safeParse(candidate);
  if (!parsed.success) return undefined;
  const { kty, n, e, kid, alg, use, key_ops: keyOps } = parsed.data;
  if (alg !== undefined && !algorithms.includes(alg)) return undefined;
  if (modulusBits(n) < MIN_RSA_MODULUS_BITS || !acceptableExponent(e)) return undefined;
  const key: RsaPublicJwk = { kty, n, e };
  if (kid !== undefined) key.kid = kid;
  if (alg !== undefined) key.alg = alg;
  if (use !== undefined) key.use = use;
  if (keyOps !== undefined) key.key_ops = [...keyOps];
  return key;
}

function acceptableExponent(e: string): boolean {
  const bytes = Buffer.from(e, 'base64url');
  if (bytes.length > 32) return false;
  const value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  return value >= 65537n && value % 2n === 1n;
}

/** Bit length of a base64url big-endian modulus, ignoring leading zero bytes. */
export function modulusBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start += 1;
  const first = bytes[start];
  if (first === undefined) return 0;
  return (bytes.length - start - 1) * 8 + (32 - Math.clz32(first));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
