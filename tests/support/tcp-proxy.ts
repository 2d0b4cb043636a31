/**
 * A loopback TCP proxy the test controls, for fault injection between the gateway and
 * PostgreSQL (DESIGN §10: never stop the machine's shared server):
 *
 * - `up`: bytes flow both ways;
 * - `down`: every open connection is reset and the port stops listening (new connections are
 *   refused), as a database host that went away would look to the driver; `up` listens again
 *   on the same port;
 * - `stalled`: connections stay open, but nothing is forwarded until the mode changes (queries
 *   hang: a saturated or unresponsive database). Held bytes are forwarded on `up`.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'up' | 'down' | 'stalled';

export interface TcpProxy {
  readonly port: number;
  /** `target` with its host and port replaced by the proxy's. */
  urlFor(target: string): string;
  setMode(mode: ProxyMode): void;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Bytes held while stalled, per direction, in order. */
  readonly held: { readonly to: Socket; readonly chunk: Buffer }[];
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = 'up';
  let accepted = 0;
  const pairs = new Set<Pair>();

  const release = (pair: Pair) => {
    for (const { to, chunk } of pair.held.splice(0)) if (!to.destroyed) to.write(chunk);
  };
  const forward = (pair: Pair, to: Socket) => (chunk: Buffer) => {
    if (mode === 'up' && pair.held.length === 0) to.write(chunk);
    else pair.held.push({ to, chunk });
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    if (mode === 'down') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', forward(pair, upstream));
    upstream.on('data', forward(pair, client));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    urlFor(target) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    setMode(next) {
      const previous = mode;
      mode = next;
      if (next === 'down' && previous !== 'down') server.close();
      if (next !== 'down' && previous === 'down') server.listen(port, '127.0.0.1');
      for (const pair of [...pairs]) {
        if (next === 'down') {
          pairs.delete(pair);
          pair.client.resetAndDestroy();
          pair.upstream.destroy();
        } else if (next === 'up') {
          release(pair);
        }
      }
    },
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
        pairs.clear();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
