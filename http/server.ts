/**
 * The gateway's HTTP server: a small route table in front of node:http. Every request gets a
 * request id; an unexpected failure becomes a 500 with that id and nothing else.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../telemetry/logger.ts';
import { requestIdOf } from './request.ts';
import { sendJson } from './respond.ts';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void>;

export interface Route {
  readonly methods: readonly string[];
  readonly handler: RouteHandler;
}

export function createHttpServer(routes: ReadonlyMap<string, Route>, logger: Logger): Server {
  const server = createServer(async (request, response) => {
    const requestId = requestIdOf(request);
    response.setHeader('x-request-id', requestId);
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    const route = routes.get(path);
    try {
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
