/**
 * The gateway's public errors: a closed set of classes, each with a GraphQL code and an HTTP
 * status (DESIGN §9). Anything else a client sees is masked as INTERNAL_SERVER_ERROR.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from './db/unavailable.ts';

export type PublicErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

abstract class PublicError extends GraphQLError {
  abstract readonly code: PublicErrorCode;
  constructor(message: string, code: PublicErrorCode, http?: { status: number; headers?: Map<string, string> }) {
    super(message, { extensions: { code, ...(http ? { http } : {}) } });
  }
}

export class NotFoundError extends PublicError {
  readonly code = 'NOT_FOUND';
  constructor(message = 'Not found') {
    super(message, 'NOT_FOUND');
  }
}

export class ForbiddenError extends PublicError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Forbidden') {
    super(message, 'FORBIDDEN');
  }
}

export class BadUserInputError extends PublicError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message, 'BAD_USER_INPUT');
  }
}

/** The realm of every Bearer challenge (RFC 6750 §3). */
export const REALM = 'builder-insights';

function challenge(parameters: Record<string, string> = {}): Map<string, string> {
  const rendered = Object.entries({ realm: REALM, ...parameters }).map(([key, value]) => `${key}="${value}"`);
  return new Map([['www-authenticate', `Bearer ${rendered.join(', ')}`]]);
}

/** 401: no token (a bare challenge), or a token that failed verification (`invalid_token`). */
export class UnauthenticatedError extends PublicError {
  readonly code = 'UNAUTHENTICATED';
  constructor(tokenSent: boolean) {
    super(tokenSent ? 'The access token is invalid or expired' : 'An access token is required', 'UNAUTHENTICATED', {
      status: 401,
      headers: challenge(tokenSent ? { error: 'invalid_token' } : {}),
    });
  }
}

/** 400: credentials that cannot be read (RFC 6750 `invalid_request`). */
export class InvalidAuthorizationRequestError extends PublicError {
  readonly code = 'BAD_USER_INPUT';
  constructor() {
    super('The request carries credentials in a form that cannot be used', 'BAD_USER_INPUT', {
      status: 400,
      headers: challenge({ error: 'invalid_request' }),
    });
  }
}

/** 403: the token lacks the scope the operation needs (RFC 6750 `insufficient_scope`). */
export class InsufficientScopeError extends PublicError {
  readonly code = 'FORBIDDEN';
  constructor(scope: string) {
    super(`This operation needs the ${scope} scope`, 'FORBIDDEN', {
      status: 403,
      headers: challenge({ error: 'insufficient_scope', scope }),
    });
  }
}

export class ServiceUnavailableError extends PublicError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'Service temporarily unavailable', retryAfterS = 5) {
    super(message, 'SERVICE_UNAVAILABLE', { status: 503, headers: new Map([['retry-after', String(retryAfterS)]]) });
  }
}

const PUBLIC_CODES: ReadonlySet<string> = new Set<PublicErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/** Apollo's own request-level codes, safe to show as they are. */
const APOLLO_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function isPublicCode(code: unknown): boolean {
  return typeof code === 'string' && (PUBLIC_CODES.has(code) || APOLLO_CODES.has(code));
}

/** The message a client sees when the database is down or its pool is past the deadline. */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is temporarily unavailable';

/**
 * Apollo's formatError: our errors and Apollo's request errors pass (without stack traces);
 * a database that cannot be reached (or a pool past its deadline, which drizzle wraps in its
 * own error) becomes SERVICE_UNAVAILABLE, which the HTTP layer answers with 503 + Retry-After
 * (http/graphql.ts, unavailableStatusPlugin); anything else (a driver error, a bug) becomes
 * INTERNAL_SERVER_ERROR with no details, since Apollo would otherwise hand its message to the
 * client.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const error = unwrapResolverError(original);
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  const path = formatted.path ? { path: formatted.path } : {};
  if (isPublicCode(code)) {
    const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, code } };
  }
  // Apollo's request errors without a code but with a 400 ("provided sha does not match query",
  // "Unsupported persisted query version"): a bad request, message kept.
  if (error instanceof GraphQLError && code === undefined && !formatted.path && (error.extensions.http as { status?: unknown } | undefined)?.status === 400) {
    return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  }
  if (isDatabaseUnavailable(error)) {
    return { message: DATABASE_UNAVAILABLE_MESSAGE, ...path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  }
  return { message: 'Unexpected error', ...path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
