/**
 * Serves /graphql through Apollo Server's executeHTTPGraphQLRequest.
 *
 * Written by hand because Apollo 5 ships no bare node:http integration besides
 * startStandaloneServer, which owns the server and its routes; the gateway needs probes,
 * metrics, the dev issuer and GraphiQL on the same server, and this path stays lean for the
 * benchmark (no framework between node:http and Apollo).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { BodyTooLargeError, readBody } from './request.ts';
import { sendGraphQLError } from './respond.ts';

export interface GraphQLHandlerOptions<Context extends BaseContext> {
  readonly apollo: ApolloServer<Context>;
  readonly maxBodyBytes: number;
  /** Builds the per-request context; throw a GraphQLError with extensions.http to refuse. */
  readonly context: (request: IncomingMessage, requestId: string) => Promise<Context>;
}

export function createGraphQLHandler<Context extends BaseContext>(options: GraphQLHandlerOptions<Context>) {
  return async (request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> => {
    const body = await readRequestBody(request, response, options.maxBodyBytes);
    if (body === FAILED) return;
    const url = new URL(request.url ?? '/', 'http://gateway');
    const result = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: request.method ?? 'GET', headers: headerMapOf(request), search: url.search, body },
      context: () => options.context(request, requestId),
    });
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
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
