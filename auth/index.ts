/**
 * The public face of auth/: what the HTTP layer and the composition root may use.
 * Exports are added with intention; the rest of the folder is internal.
 */
export { extractBearerToken, MAX_TOKEN_BYTES, type BearerSources } from './bearer.ts';
export type { VerifiedToken } from './claims.ts';
export { DEV_CLIENT_ID, loadDevIssuer, type DevIssuer, type MintOptions } from './dev-issuer.ts';
export {
  AuthError,
  InvalidRequestError,
  InvalidTokenError,
  KeySetUnavailableError,
  type InvalidRequestReason,
  type InvalidTokenReason,
} from './errors.ts';
export type { KeySetState } from './key-set.ts';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verifier.ts';
