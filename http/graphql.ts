/**
 * Serves /graphql through Apollo Server's executeHTTPGraphQLRequest.
 *
 * Written by hand because Apollo 5 ships no bare node:http integration besides
 * startStandaloneServer, which owns the server and its routes; the gateway needs probes,
 * metrics, the dev issuer and GraphiQL on the same server, and this path stays lean for the
 * benchmark (no framework between node:http and Apollo).
 *
 * Each request runs inside a SQL statement counter (telemetry/sql-counter.ts) for its log line;
 * a request refused while its context is built (401, 403, 503) is logged and counted here,
 * since Apollo's request plugins never see it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import type { Logger } from '../telemetry/logger.ts';
import type { GatewayMetrics } from '../telemetry/metrics.ts';
import { recordRefusedRequest } from '../telemetry/request-plugin.ts';
import { runWithSqlCounter } from '../telemetry/sql-counter.ts';
import { BodyTooLargeError, readBody } from './request.ts';
import { sendGraphQLError } from './respond.ts';

export interface GraphQLHandlerOptions<Context extends BaseContext> {
  readonly apollo: ApolloServer<Context>;
  readonly maxBodyBytes: number;
  /** Builds the per-request context; throw a GraphQLError with extensions.http to refuse. */
  readonly context: (request: IncomingMessage, requestId: string) => Promise<Context>;
  /** Where refusals before GraphQL runs are logged and counted. */
  readonly telemetry?: { readonly logger: Logger; readonly metrics?: Pick<GatewayMetrics, 'recordRequest'> };
}

/** Arrival time (performance.now()) of each request, keyed by its context, for the request log line. */
const arrivals = new WeakMap<object, number>();

/** `performance.now()` when the HTTP request of this context arrived (before its body was read). */
export function requestStartOf(context: object): number | undefined {
  return arrivals.get(context);
}

/** Seconds a client is asked to wait after a 503 that did not say otherwise. */
const DEFAULT_RETRY_AFTER_S = '5';

/**
 * A response whose errors include SERVICE_UNAVAILABLE (database down, pool deadline) is a 503
 * with Retry-After (DESIGN §9). Errors thrown as ServiceUnavailableError already carry their
 * status; a driver error that errors.ts masked as SERVICE_UNAVAILABLE (drizzle wraps it, so
 * its HTTP hint is lost) gets it here. Register it before the request telemetry plugin, which
 * logs the status.
 */
export function unavailableStatusPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          if (!errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          response.http.status = 503;
          if (!response.http.headers.has('retry-after')) response.http.headers.set('retry-after', DEFAULT_RETRY_AFTER_S);
        },
      };
    },
  };
}

export function createGraphQLHandler<Context extends BaseContext>(options: GraphQLHandlerOptions<Context>) {
  return (request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> =>
    runWithSqlCounter(() => handle(options, request, response, requestId));
}

async function handle<Context extends BaseContext>(
  options: GraphQLHandlerOptions<Context>,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
): Promise<void> {
  const startedAt = performance.now();
  const body = await readRequestBody(request, response, options.maxBodyBytes);
  if (body === FAILED) return;
  const url = new URL(request.url ?? '/', 'http://gateway');
  const context = async (): Promise<Context> => {
    try {
      const built = await options.context(request, requestId);
      arrivals.set(built, startedAt);
      return built;
    } catch (error) {
      if (options.telemetry) recordRefusedRequest(options.telemetry, { requestId, headers: request.headers, error, startedAt });
      throw error;
    }
  };
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? 'GET', headers: headerMapOf(request), search: url.search, body },
    context,
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

const FAILED = Symbol('failed');

async function readRequestBody(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
): Promise<unknown | typeof FAILED> {
  if (request.method !== 'POST') return undefined;
  let text: string;
  try {
    text = await readBody(request, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendGraphQLError(response, 413, 'BAD_REQUEST', `Request body is larger than ${limit} bytes`, { connection: 'close' });
    return FAILED;
  }
  if (!(request.headers['content-type'] ?? '').toLowerCase().includes('json')) return text;
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    sendGraphQLError(response, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
    return FAILED;
  }
}

function headerMapOf(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}
