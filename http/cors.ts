/**
 * CORS for /graphql (DESIGN §7, §8): origins listed in CORS_ORIGINS, compared exactly with the
 * request's Origin; a listed origin gets `Access-Control-Allow-Origin: <that origin>`, any other
 * gets no CORS header at all (the browser then withholds the response). Every response says
 * `Vary: Origin`, so a shared cache never hands one origin's answer to another.
 *
 * Credentials: the gateway authenticates with a bearer header, which a cross-origin caller sends
 * by listing `authorization` in the preflight; cookies are never used, so
 * `Access-Control-Allow-Credentials` is never sent (and a wildcard origin is refused outright).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './server.ts';

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), as config.ts validated them. */
  readonly origins: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  readonly maxAgeS?: number;
}

/** Request headers a cross-origin client may send: GraphQL over HTTP, Apollo's client headers, CSRF prevention. */
export const ALLOWED_REQUEST_HEADERS: readonly string[] = [
  'authorization',
  'content-type',
  'accept',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
];

/** Response headers a cross-origin client may read. */
export const EXPOSED_RESPONSE_HEADERS: readonly string[] = ['retry-after', 'www-authenticate', 'x-request-id'];

const DEFAULT_MAX_AGE_S = 600;

function addVary(response: ServerResponse, ...names: string[]): void {
  const current = response.getHeader('vary');
  const present = new Set(
    String(current ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  for (const name of names) present.add(name);
  response.setHeader('vary', [...present].join(', '));
}

function originOf(request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== '' ? origin : undefined;
}

/**
 * Wraps a route: answers OPTIONS (a CORS preflight, or a plain OPTIONS with `Allow`) and adds the
 * CORS headers of a listed origin to every other response of the route.
 */
export function withCors(route: Route, options: CorsOptions): Route {
  if (options.origins.includes('*')) throw new TypeError('CORS: a wildcard origin is not allowed');
  const allowed: ReadonlySet<string> = new Set(options.origins);
  const methods = [...route.methods.filter((method) => method !== 'OPTIONS'), 'OPTIONS'];
  const corsMethods = methods.filter((method) => method !== 'OPTIONS' && method !== 'HEAD').join(', ');
  const maxAge = String(options.maxAgeS ?? DEFAULT_MAX_AGE_S);

  return {
    methods,
    handler: async (request, response, requestId) => {
      const origin = originOf(request);
      const listed = origin !== undefined && allowed.has(origin);
      addVary(response, 'Origin');
      if (request.method === 'OPTIONS') {
        request.resume();
        const requestedMethod = request.headers['access-control-request-method'];
        addVary(response, 'Access-Control-Request-Method', 'Access-Control-Request-Headers');
        const headers: Record<string, string> = { allow: methods.join(', '), 'content-length': '0' };
        if (listed && typeof requestedMethod === 'string' && route.methods.includes(requestedMethod.toUpperCase())) {
          Object.assign(headers, {
            'access-control-allow-origin': origin,
            'access-control-allow-methods': corsMethods,
            'access-control-allow-headers': ALLOWED_REQUEST_HEADERS.join(', '),
            'access-control-max-age': maxAge,
          });
        }
        response.writeHead(204, headers);
        response.end();
        return;
      }
      if (listed) {
        response.setHeader('access-control-allow-origin', origin);
        response.setHeader('access-control-expose-headers', EXPOSED_RESPONSE_HEADERS.join(', '));
      }
      await route.handler(request, response, requestId);
    },
  };
}
