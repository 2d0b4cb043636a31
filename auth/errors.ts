/**
 * The closed set of errors that token authentication raises. The HTTP/GraphQL layer maps them
 * in one place: `status` and `code` are what a client may learn (RFC 6750 error codes); the
 * `reason` is for operators' logs and metrics only and must never reach a response, because
 * telling an attacker which check failed helps them forge the next token.
 *
 * Plain Error subclasses on purpose: auth/ does not depend on graphql.
 */

/** Why a presented token was refused. A closed union, so metrics labels stay bounded. */
export type InvalidTokenReason =
  | 'malformed'
  | 'too_large'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'alg_not_allowed'
  | 'typ_not_allowed'
  | 'header_not_allowed'
  | 'client_not_allowed'
  | 'missing_claim'
  | 'bad_claim_type'
  | 'claim_check_failed'
  | 'unknown_key'
  | 'ambiguous_key';

/** Why a request's credentials could not even be read (RFC 6750 §3.1 `invalid_request`). */
export type InvalidRequestReason =
  | 'malformed_authorization'
  | 'duplicate_authorization'
  | 'token_sent_twice'
  | 'token_in_query';

/** Why the issuer's discovery document or key set could not be fetched or used. */
export type IssuerFetchReason =
  | 'network'
  | 'timeout'
  | 'http_status'
  | 'too_large'
  | 'not_json'
  | 'invalid_document'
  | 'no_usable_keys'
  | 'issuer_mismatch';

/** Base of the errors a client may be told about; anything else is an internal error. */
export abstract class AuthError extends Error {
  abstract readonly code: 'invalid_token' | 'invalid_request' | 'key_set_unavailable';
  abstract readonly status: 401 | 400 | 503;
}

/** 401, `error="invalid_token"`: a token was presented and is not acceptable. */
export class InvalidTokenError extends AuthError {
  override readonly name = 'InvalidTokenError';
  readonly code = 'invalid_token';
  readonly status = 401;
  constructor(readonly reason: InvalidTokenReason) {
    // The message is generic so that a careless log or response cannot reveal the check.
    super('The access token is invalid');
  }
}

/** 400, `error="invalid_request"`: the credentials were sent in a malformed or forbidden way. */
export class InvalidRequestError extends AuthError {
  override readonly name = 'InvalidRequestError';
  readonly code = 'invalid_request';
  readonly status = 400;
  constructor(readonly reason: InvalidRequestReason) {
    super('The request carries its credentials in a malformed or forbidden way');
  }
}

/**
 * 503 with `Retry-After`: the token cannot be checked because no usable issuer key set is
 * held (never loaded, or older than the allowed staleness). Never 401: that would make
 * clients throw away tokens that may be perfectly valid.
 */
export class KeySetUnavailableError extends AuthError {
  override readonly name = 'KeySetUnavailableError';
  readonly code = 'key_set_unavailable';
  readonly status = 503;
  constructor(
    /** Whole seconds until the next fetch attempt is allowed; at least 1. */
    readonly retryAfterSeconds: number,
    options?: { cause?: IssuerFetchError },
  ) {
    super('The issuer key set is unavailable', options);
  }
}

/** Internal: fetching discovery or JWKS failed. Recorded in key-set state, never shown to clients. */
export class IssuerFetchError extends Error {
  override readonly name = 'IssuerFetchError';
  readonly code = 'issuer_fetch_failed';
  readonly status: number | undefined;
  constructor(
    readonly reason: IssuerFetchReason,
    /** The URL fetched: configuration, not a secret. */
    readonly url: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    const status = options.status === undefined ? '' : ` (HTTP ${options.status})`;
    super(`Fetching ${url} failed: ${reason}${status}`, { cause: options.cause });
    this.status = options.status;
  }
}
