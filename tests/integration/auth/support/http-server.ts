/**
 * A loopback HTTP server whose routes the test programs, counting every hit per path.
 * Used as the issuer (discovery + JWKS) and as a canary that must never be called.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status?: number;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer (the client's timeout must fire). */
  readonly hang?: boolean;
  /** Send the body in 16 KiB chunks with no Content-Length (chunked transfer encoding). */
  readonly chunked?: boolean;
}

export type Route = Reply | (() => Reply);

export interface TestServer {
  readonly origin: string;
  route(path: string, reply: Route): void;
  hits(path: string): number;
  totalHits(): number;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    const reply = typeof route === 'function' ? route() : (route ?? { status: 404, body: 'not found' });
    if (reply.hang) return;
    send(response, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    route: (path, reply) => void routes.set(path, reply),
    hits: (path) => hits.get(path) ?? 0,
    totalHits: () => [...hits.values()].reduce((sum, count) => sum + count, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, reply: Reply): void {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
  response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  if (!reply.chunked) return void response.end(body);
  for (let start = 0; start < body.length; start += 16_384) response.write(body.slice(start, start + 16_384));
  response.end();
}
