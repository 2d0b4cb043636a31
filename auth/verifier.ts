/**
 * Verifies Okta access tokens (DESIGN §2): signature against the issuer's key set, `iss`
 * exact, `aud`, `exp`/`nbf`/`iat` with a clock tolerance, an algorithm allow-list, the `typ`
 * policy, an optional `cid` allow-list, then a strict claims schema. A token verified against
 * the key set still held is not checked again until that set is replaced; its time claims are
 * (auth/verified-tokens.ts).
 *
 * Header policy (checked before any key lookup, so odd headers never cause a JWKS fetch):
 * - `typ` absent, `JWT` or `at+jwt` (with or without `application/`), case-insensitively.
 *   Okta sends none; anything else (`dpop+jwt`, `application/okta-internal-at+jwt`, …) is
 *   another kind of token. ID tokens are stopped by the audience.
 * - `jku`, `x5u`, `jwk`, `x5c`: refused outright. Keys come only from the configured issuer
 *   (jose would ignore them with our resolver; refusing makes the intent explicit).
 * - `crit`: refused (jose already refuses unknown extensions; this also covers `b64`).
 * - `kid`, when present, must be a string.
 */
import { errors, jwtVerify, type FlattenedJWSInput, type JWSHeaderParameters, type JWTPayload } from 'jose';
import { MAX_TOKEN_BYTES } from './bearer.ts';
import { toVerifiedToken, type VerifiedToken } from './claims.ts';
import { discoverJwksUri, requireSecureUrl } from './discovery.ts';
import { AuthError, InvalidTokenError } from './errors.ts';
import { fetchLimits, type FetchLike } from './fetch-json.ts';
import { reasonOf } from './jose-reason.ts';
import { createIssuerKeySet, type IssuerKeySet, type KeySetOptions } from './key-set.ts';
import { createVerifiedTokens } from './verified-tokens.ts';

/** Asymmetric RSA algorithms only: the key set holds RSA keys, and `none`/HMAC are never safe here. */
const SUPPORTED_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
const ALLOWED_TYP = new Set(['application/jwt', 'application/at+jwt']);
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'] as const;
const MAX_CLOCK_TOLERANCE_S = 300;
// RFC 7515 compact serialisation: three unpadded base64url segments (the signature may be empty
// here; jose then fails it). jose's decoder is lenient, so garbage is refused before it.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface TokenVerifierOptions {
  /** `AUTH_ISSUER`: compared exactly with `iss`; https unless on a loopback host. */
  readonly issuer: string;
  /** `AUTH_AUDIENCE`: must be one of the token's `aud`. */
  readonly audience: string;
  /** `AUTH_JWKS_URI`: skips discovery when set. */
  readonly jwksUri?: string;
  readonly clockToleranceS: number;
  /** `AUTH_ALLOWED_CLIENT_IDS`: when non-empty, `cid` must be present and listed. */
  readonly allowedClientIds: readonly string[];
  /** `AUTH_JWKS_MAX_STALE_S`: how long the last good key set serves while the issuer is down. */
  readonly jwksMaxStaleS: number;
  /** Default ['RS256'] (what Okta signs with). */
  readonly algorithms?: readonly string[];
  /** Used for discovery and JWKS requests; injected by tests. */
  readonly fetch?: FetchLike;
  /** Clock in epoch milliseconds; injected by tests. */
  readonly now?: () => number;
  /** Key-set tuning (timer, cooldowns, fetch limits); the defaults suit production. */
  readonly keySet?: Pick<KeySetOptions, 'refreshIntervalMs' | 'cooldownMs' | 'retryMs' | 'backgroundRefresh'> & {
    readonly timeoutMs?: number;
    readonly maxBytes?: number;
  };
}

export interface TokenVerifier {
  /**
   * Resolves with the token's claims, or rejects with InvalidTokenError (401),
   * KeySetUnavailableError (503); anything else is a bug and surfaces as is.
   */
  verify(token: string): Promise<VerifiedToken>;
  /** Key-set state for readiness and metrics, and a manual refresh (e.g. a warm-up at start). */
  readonly keySet: Pick<IssuerKeySet, 'state' | 'refresh'>;
  /** Stops the key set's background timer. */
  close(): void;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { issuer, audience, clockToleranceS } = options;
  requireSecureUrl(issuer, 'issuer');
  if (typeof audience !== 'string' || audience === '') throw new TypeError('audience must be a non-empty string');
  if (!Number.isFinite(clockToleranceS) || clockToleranceS < 0 || clockToleranceS > MAX_CLOCK_TOLERANCE_S) {
    throw new TypeError(`clockToleranceS must be between 0 and ${MAX_CLOCK_TOLERANCE_S}`);
  }
  const algorithms = checkedAlgorithms(options.algorithms ?? ['RS256']);
  const allowedClients = new Set(options.allowedClientIds);
  const now = options.now ?? Date.now;
  const { timeoutMs, maxBytes, ...tuning } = options.keySet ?? {};
  const limits = fetchLimits({ fetch: options.fetch, timeoutMs, maxBytes });

  // The JWKS URL comes from configuration or the issuer's metadata, never from a token.
  let jwksUrl = options.jwksUri === undefined ? undefined : requireSecureUrl(options.jwksUri, 'jwksUri');
  const keySet = createIssuerKeySet({
    ...tuning,
    resolveUrl: async () => (jwksUrl ??= await discoverJwksUri(issuer, limits)),
    algorithms,
    maxStaleS: options.jwksMaxStaleS,
    limits,
    now,
  });

  const verifiedTokens = createVerifiedTokens(clockToleranceS);

  const getKey = (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    checkHeader(header);
    return keySet.getKey(header, token);
  };

  async function verify(token: string): Promise<VerifiedToken> {
    if (typeof token !== 'string') throw new InvalidTokenError('malformed');
    if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw new InvalidTokenError('too_large');
    if (!COMPACT_JWS.test(token)) throw new InvalidTokenError('malformed');
    const at = now();
    const heldBefore = keySet.current();
    const known = verifiedTokens.find(token, heldBefore, at);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer,
        audience,
        algorithms: [...algorithms],
        clockTolerance: clockToleranceS,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(at),
      }));
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(reasonOf(error));
      throw error;
    }
    // jose checks `iat` against the clock only together with maxTokenAge, which we do not set.
    if (typeof payload.iat === 'number' && payload.iat > at / 1000 + clockToleranceS) {
      throw new InvalidTokenError('issued_in_future');
    }
    const verified = toVerifiedToken(payload);
    if (allowedClients.size > 0 && (verified.clientId === undefined || !allowedClients.has(verified.clientId))) {
      throw new InvalidTokenError('client_not_allowed');
    }
    // Kept only when one key set was held throughout: the one that verified it.
    if (heldBefore !== undefined && keySet.current() === heldBefore && typeof payload.exp === 'number') {
      verifiedTokens.keep(token, verified, { exp: payload.exp, nbf: payload.nbf, iat: payload.iat }, heldBefore);
    }
    return verified;
  }

  return {
    verify,
    keySet: { state: () => keySet.state(), refresh: () => keySet.refresh() },
    close: () => keySet.close(),
  };
}

function checkedAlgorithms(algorithms: readonly string[]): readonly string[] {
  if (algorithms.length === 0) throw new TypeError('algorithms must not be empty');
  for (const alg of algorithms) {
    if (!SUPPORTED_ALGORITHMS.has(alg)) {
      throw new TypeError(`algorithm ${JSON.stringify(alg)} is not allowed: only RSA signatures (${[...SUPPORTED_ALGORITHMS].join(', ')})`);
    }
  }
  return Object.freeze([...algorithms]);
}

function checkHeader(header: JWSHeaderParameters): void {
  for (const name of FORBIDDEN_HEADERS) {
    if (Object.hasOwn(header, name)) throw new InvalidTokenError('header_not_allowed');
  }
  const { typ, kid } = header;
  if (typ !== undefined && (typeof typ !== 'string' || !ALLOWED_TYP.has(normalizedTyp(typ)))) {
    throw new InvalidTokenError('typ_not_allowed');
  }
  if (kid !== undefined && typeof kid !== 'string') throw new InvalidTokenError('malformed');
}

/** RFC 7515 §4.1.9: `typ` is a media type, case-insensitive, `application/` may be omitted. */
function normalizedTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.includes('/') ? lower : `application/${lower}`;
}
