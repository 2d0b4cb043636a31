/**
 * The bearer token of a request, verified, or the RFC 6750 refusal (DESIGN §2): 401 with a
 * challenge, 400 for unreadable credentials, 503 with Retry-After when no usable key set is
 * held. Operators learn the reason from the log line; clients only the RFC error code.
 */
import type { IncomingMessage } from 'node:http';
import {
  extractBearerToken,
  InvalidRequestError,
  InvalidTokenError,
  KeySetUnavailableError,
  type TokenVerifier,
  type VerifiedToken,
} from '../auth/index.ts';
import {
  InvalidAuthorizationRequestError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from '../errors.ts';
import type { Logger } from '../telemetry/logger.ts';

export type Authenticate = (request: IncomingMessage, requestId: string) => Promise<VerifiedToken>;

export function createAuthenticate(verifier: () => TokenVerifier, logger: Logger): Authenticate {
  return async (request, requestId) => {
    try {
      const token = extractBearerToken({
        authorization: request.headersDistinct.authorization,
        searchParams: new URL(request.url ?? '/', 'http://gateway').searchParams,
      });
      if (token === undefined) throw new UnauthenticatedError(false);
      return await verifier().verify(token);
    } catch (error) {
      throw refusal(error, (reason) => logger.warn('auth', 'request refused', { requestId, reason }));
    }
  };
}

function refusal(error: unknown, log: (reason: string) => void): Error {
  if (error instanceof UnauthenticatedError) {
    log('no_token');
    return error;
  }
  // An invalid token is always one that was sent (even one refused for size before parsing).
  if (error instanceof InvalidTokenError) {
    log(error.reason);
    return new UnauthenticatedError(true);
  }
  if (error instanceof InvalidRequestError) {
    log(error.reason);
    return new InvalidAuthorizationRequestError();
  }
  if (error instanceof KeySetUnavailableError) {
    log('key_set_unavailable');
    return new ServiceUnavailableError('The identity provider keys are unavailable', error.retryAfterSeconds);
  }
  return error instanceof Error ? error : new Error('authentication failed');
}
