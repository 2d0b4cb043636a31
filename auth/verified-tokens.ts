/**
 * Tokens already verified, so that a client's next request with the same token skips the
 * signature check (RSA verification and its WebCrypto round trip: ~12% of a cheap request's
 * CPU, `--cpu-prof` under the benchmark's W3). A client sends one access token for its hour,
 * so nearly every request after the first is a hit. A kept verification is honoured only while
 * everything it depended on still holds:
 *
 * - the key set that verified it is the one held now, and usable: any fetch (the periodic
 *   refresh, an unknown `kid`, a rotation) holds a new set and every token is verified again,
 *   so a withdrawn key stops working exactly when it would without this cache;
 * - its time claims, checked again on every hit with the same clock and tolerance as jose
 *   (`exp`, `nbf`) and the verifier (`iat` in the future).
 *
 * The key is the whole compact token: a different byte anywhere is a different token. Only
 * successes are kept, in a bounded LRU.
 */
import { LRUCache } from 'lru-cache';
import type { VerifiedToken } from './claims.ts';
import { InvalidTokenError } from './errors.ts';

/** Tokens remembered per verifier (one per active client, ~1–2 kB each). */
export const VERIFIED_TOKENS_KEPT = 5000;

export interface TimeClaims {
  readonly exp: number;
  readonly nbf?: number | undefined;
  readonly iat?: number | undefined;
}

interface Kept {
  readonly verified: VerifiedToken;
  readonly times: TimeClaims;
  /** The key set held when the token was verified (IssuerKeySet.current()). */
  readonly keySet: object;
}

export interface VerifiedTokens {
  /** The verified claims if `token` was verified against `keySet` and its times still hold at `at`; throws when they no longer do. */
  find(token: string, keySet: object | undefined, at: number): VerifiedToken | undefined;
  keep(token: string, verified: VerifiedToken, times: TimeClaims, keySet: object): void;
}

export function createVerifiedTokens(clockToleranceS: number, size: number = VERIFIED_TOKENS_KEPT): VerifiedTokens {
  const kept = new LRUCache<string, Kept>({ max: size });
  return {
    find(token, keySet, at) {
      const entry = kept.get(token);
      if (!entry) return undefined;
      if (keySet === undefined || entry.keySet !== keySet) {
        kept.delete(token);
        return undefined;
      }
      try {
        checkTimes(entry.times, at, clockToleranceS);
      } catch (error) {
        kept.delete(token);
        throw error;
      }
      return entry.verified;
    },
    keep(token, verified, times, keySet) {
      kept.set(token, { verified, times, keySet });
    },
  };
}

/** jose's comparisons (whole seconds, `exp` exclusive) and the verifier's `iat` rule. */
function checkTimes(times: TimeClaims, at: number, toleranceS: number): void {
  const nowS = Math.floor(at / 1000);
  if (times.exp <= nowS - toleranceS) throw new InvalidTokenError('expired');
  if (times.nbf !== undefined && times.nbf > nowS + toleranceS) throw new InvalidTokenError('not_yet_valid');
  if (times.iat !== undefined && times.iat > at / 1000 + toleranceS) throw new InvalidTokenError('issued_in_future');
}
