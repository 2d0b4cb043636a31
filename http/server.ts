/**
 * The gateway's HTTP server: a small route table in front of node:http. Every request gets a
 * request id; an unexpected failure becomes a 500 with that id and nothing else. While the
 * gateway drains (telemetry/shutdown.ts), a request that still arrives on an open connection
 * is answered 503 + Retry-After with `Connection: close`; probes keep answering.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../telemetry/logger.ts';
import { requestIdOf } from './request.ts';
import { sendGraphQLError, sendJson } from './respond.ts';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void>;

export interface Route {
  readonly methods: readonly string[];
  readonly handler: RouteHandler;
}

export interface HttpServerOptions {
  /** True once the server drains: new requests (probes aside) get 503. */
  readonly refusing?: () => boolean;
}

/** Paths that answer even while draining: the probes say themselves what state the process is in. */
const PROBES: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

export function createHttpServer(routes: ReadonlyMap<string, Route>, logger: Logger, options: HttpServerOptions = {}): Server {
  const server = createServer(async (request, response) => {
    const requestId = requestIdOf(request);
    response.setHeader('x-request-id', requestId);
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    const route = routes.get(path);
    try {
      if (options.refusing?.() && !PROBES.has(path)) {
        request.resume();
        return sendGraphQLError(response, 503, 'SERVICE_UNAVAILABLE', 'The gateway is shutting down', {
          'retry-after': '1',
          connection: 'close',
        });
      }
      if (!route) return sendJson(response, 404, { error: 'not found' });
      if (!route.methods.includes(request.method ?? '')) {
        return sendJson(response, 405, { error: 'method not allowed' }, { allow: route.methods.join(', ') });
      }
      await route.handler(request, response, requestId);
    } catch (error) {
      logger.error('http', 'request failed', { requestId, path, error });
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error', requestId });
      else response.destroy();
    }
  });
  // Slow clients must not hold sockets for Node's generous defaults.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  // Longer than common load-balancer idle timeouts, so the balancer closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  return server;
}
