/**
 * Reads the bearer token of a request (RFC 6750 §2).
 *
 * Decisions, where the RFC leaves a choice:
 * - No Authorization header, an empty one, or another scheme (`Basic …`): no bearer
 *   credentials → `undefined`, which the HTTP layer answers with a plain 401 challenge.
 * - `Bearer` whose credentials break the `b64token` grammar (missing, whitespace inside,
 *   non-ASCII, a comma list): the request is malformed → InvalidRequestError (400,
 *   `invalid_request`, §3.1 "otherwise malformed"). A well-formed b64token that is not a JWT
 *   is left to the verifier (401 `invalid_token`).
 * - A token over MAX_TOKEN_BYTES → InvalidTokenError('too_large'), checked before anything else.
 * - `access_token` in the query string: refused whether alone (§2.3 SHOULD NOT; it leaks into
 *   logs) or with the header (§2: "MUST NOT use more than one method").
 * - Several Authorization headers: refused, so the app and any proxy in front cannot pick
 *   different ones (pass Node's `req.headersDistinct.authorization` to see them all).
 */
import { InvalidRequestError, InvalidTokenError } from './errors.ts';

/** Largest token accepted, in bytes. Okta tokens with many groups stay well below this. */
export const MAX_TOKEN_BYTES = 8192;

// RFC 7235 token (the auth-scheme), then 1*SP, then the rest of the header.
const CREDENTIALS = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/s;
// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface BearerSources {
  /** The Authorization header: a string, or every value when the header came more than once. */
  readonly authorization: string | readonly string[] | undefined;
  /** The request URL's query parameters, checked for `access_token`. */
  readonly searchParams?: URLSearchParams;
}

/** Returns the bearer token, or `undefined` when the request carries no bearer credentials. */
export function extractBearerToken(sources: BearerSources): string | undefined {
  const header = singleHeader(sources.authorization);
  const inQuery = sources.searchParams?.has('access_token') ?? false;
  if (inQuery) throw new InvalidRequestError(header === undefined ? 'token_in_query' : 'token_sent_twice');
  if (header === undefined || header === '') return undefined;

  const match = CREDENTIALS.exec(header);
  if (!match) throw new InvalidRequestError('malformed_authorization');
  const [, scheme = '', credentials] = match;
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  if (credentials === undefined) throw new InvalidRequestError('malformed_authorization');
  // Size before syntax: the cap is the cheaper and the more specific answer.
  if (Buffer.byteLength(credentials, 'utf8') > MAX_TOKEN_BYTES) throw new InvalidTokenError('too_large');
  if (!B64TOKEN.test(credentials)) throw new InvalidRequestError('malformed_authorization');
  return credentials;
}

function singleHeader(value: string | readonly string[] | undefined): string | undefined {
  if (typeof value === 'string' || value === undefined) return value;
  if (value.length > 1) throw new InvalidRequestError('duplicate_authorization');
  return value[0];
}
