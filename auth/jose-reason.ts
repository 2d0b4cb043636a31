/**
 * Maps each jose error to the reason an operator sees. Every JOSEError means "this token is
 * not acceptable" (401); which one is only for logs and metrics.
 */
import { errors } from 'jose';
import type { InvalidTokenReason } from './errors.ts';

const BY_CODE = new Map<string, InvalidTokenReason>([
  ['ERR_JOSE_ALG_NOT_ALLOWED', 'alg_not_allowed'],
  // Raised for an unrecognised `crit` extension, or an algorithm a key set cannot serve.
  ['ERR_JOSE_NOT_SUPPORTED', 'header_not_allowed'],
  ['ERR_JWS_INVALID', 'malformed'],
  ['ERR_JWT_INVALID', 'malformed'],
  ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'bad_signature'],
  ['ERR_JWT_EXPIRED', 'expired'],
  ['ERR_JWKS_NO_MATCHING_KEY', 'unknown_key'],
  ['ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ambiguous_key'],
  ['ERR_JWKS_INVALID', 'unknown_key'],
  ['ERR_JWK_INVALID', 'unknown_key'],
]);

/** Which failed claim check (jose's `claim` with reason "check_failed") means what. */
const FAILED_CHECK = new Map<string, InvalidTokenReason>([
  ['iss', 'wrong_issuer'],
  ['aud', 'wrong_audience'],
  ['nbf', 'not_yet_valid'],
  ['iat', 'issued_in_future'],
  ['typ', 'typ_not_allowed'],
]);

export function reasonOf(error: errors.JOSEError): InvalidTokenReason {
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing_claim';
    if (error.reason === 'invalid') return 'bad_claim_type';
    return FAILED_CHECK.get(error.claim) ?? 'claim_check_failed';
  }
  // Anything else jose raises about a token (JWE codes included) is a malformed token.
  return BY_CODE.get(error.code) ?? 'malformed';
}
