/**
 * The claims the gateway uses, checked for type and copied out by explicit picks.
 *
 * Types matter for security, not tidiness: a string `groups` of "superadmins" would pass a
 * naive `.includes("admin")` check (catalogue A11). And the principal is never a spread or
 * merge of the payload, so `__proto__`/`constructor` claims cannot reach it (A16): zod reads
 * only the keys named below and builds fresh objects.
 */
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { InvalidTokenError } from './errors.ts';

/** What a verified access token says about its bearer. */
export interface VerifiedToken {
  /** `sub`: the Okta login (an email) for a person, the client id for a service. */
  readonly subject: string;
  /** `uid`: the Okta user id; absent on client-credentials tokens. */
  readonly oktaUserId?: string;
  /** `cid`: the OAuth client the token was issued to. */
  readonly clientId?: string;
  readonly groups: readonly string[];
  /** From `scp` (Okta's array) and/or `scope` (RFC 9068's space-separated string). */
  readonly scopes: readonly string[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** `jti` */
  readonly tokenId?: string;
}

const nonEmpty = z.string().min(1);

const claimsSchema = z.object({
  sub: nonEmpty,
  uid: nonEmpty.optional(),
  cid: nonEmpty.optional(),
  groups: z.array(z.string()).optional(),
  scp: z.array(z.string()).optional(),
  scope: z.string().optional(),
  iat: z.number(),
  exp: z.number(),
  jti: nonEmpty.optional(),
});

/** Builds the VerifiedToken of an already signature- and time-checked payload. */
export function toVerifiedToken(payload: JWTPayload): VerifiedToken {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) throw new InvalidTokenError('bad_claim_type');
  const claims = parsed.data;
  const scopes = new Set([...(claims.scp ?? []), ...(claims.scope?.split(' ') ?? [])]);
  scopes.delete('');
  return Object.freeze({
    subject: claims.sub,
    oktaUserId: claims.uid,
    clientId: claims.cid,
    groups: Object.freeze([...(claims.groups ?? [])]),
    scopes: Object.freeze([...scopes]),
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(claims.exp * 1000),
    tokenId: claims.jti,
  });
}
