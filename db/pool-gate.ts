/**
 * A deadline for waiting on a pooled PostgreSQL connection (DESIGN §7, §10: postgres.js queues
 * callers for a connection forever), and the pool figures for metrics and readiness
 * (postgres.js has no pool statistics API).
 *
 * Where it sits, and why there: at the driver client handed to drizzle (db/client.ts), like
 * the database spans of telemetry/db-tracing.ts. Every statement the gateway sends passes
 * through that client (resolvers, the principal lookup, probes, the usage flush, migrations),
 * so one wrapper covers them all, and it mirrors exactly how postgres.js uses its pool: a
 * statement outside a transaction holds a connection while it runs; `begin` holds one for the
 * whole transaction (its statements go through the transaction's own client and take no
 * further permit). With as many permits as pool connections, waiting for a permit is waiting
 * for a connection: the deadline then bounds the real wait, and in-use / waiting are the
 * pool's. A gate around each GraphQL request instead would hold a permit while the request
 * does no database work, let a request with parallel queries use more connections than
 * permits (back to an unbounded wait in the driver), and miss probes and background work.
 *
 * PGlite has a single in-process connection and no pool: it is not gated.
 */
import { ServiceUnavailableError } from '../errors.ts';
import type { DatabaseUnavailableMarker } from './unavailable.ts';

/** Seconds a client is asked to wait before retrying after a pool deadline. */
export const POOL_RETRY_AFTER_S = 1;

/** No pooled connection became free within the deadline: 503 + Retry-After. */
export class PoolDeadlineError extends ServiceUnavailableError implements DatabaseUnavailableMarker {
  readonly databaseUnavailable = true;
  constructor(timeoutMs: number) {
    super(`The database is busy: no connection became free within ${timeoutMs} ms`, POOL_RETRY_AFTER_S);
  }
}

export interface PoolStats {
  /** Permits (pooled connections). */
  readonly size: number;
  /** Permits held: connections in use, or about to be. */
  readonly inUse: number;
  /** Callers waiting for a permit. */
  readonly waiting: number;
  /** Waits that ran past the deadline since start. */
  readonly timeouts: number;
  /** Epoch milliseconds of the last deadline, if any. */
  readonly lastTimeoutAt: number | undefined;
}

export interface PoolGate {
  /** Runs `work` holding a permit; rejects with PoolDeadlineError when none frees up in time. */
  run<T>(work: () => Promise<T>): Promise<T>;
  stats(): PoolStats;
}

interface Waiter {
  readonly grant: () => void;
  readonly timer: NodeJS.Timeout;
}

export function createPoolGate(options: { size: number; acquireTimeoutMs: number; now?: () => number }): PoolGate {
  const { size, acquireTimeoutMs } = options;
  if (!Number.isInteger(size) || size < 1) throw new TypeError('size must be a positive integer');
  const now = options.now ?? Date.now;
  const waiters: Waiter[] = [];
  let inUse = 0;
  let timeouts = 0;
  let lastTimeoutAt: number | undefined;

  function acquire(): Promise<void> {
    if (inUse < size && waiters.length === 0) {
      inUse += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        // The releasing caller hands its permit over: inUse stays the same.
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          timeouts += 1;
          lastTimeoutAt = now();
          reject(new PoolDeadlineError(acquireTimeoutMs));
        }, acquireTimeoutMs),
      };
      waiters.push(waiter);
    });
  }

  function release(): void {
    const next = waiters.shift();
    if (next) next.grant();
    else inUse -= 1;
  }

  return {
    async run(work) {
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    stats: () => ({ size, inUse, waiting: waiters.length, timeouts, lastTimeoutAt }),
  };
}

type AnyFunction = (...args: unknown[]) => unknown;
const isFunction = (value: unknown): value is AnyFunction => typeof value === 'function';

/**
 * The postgres.js client, gated: `unsafe(text, params)` (every statement drizzle sends outside
 * a transaction) takes a permit when the lazy query is awaited and gives it back when it
 * settles; `begin` (a drizzle transaction) holds one for its whole callback. Anything else
 * passes through. Savepoints run inside a `begin` and take nothing.
 */
export function gatePostgresClient<T extends object>(client: T, gate: PoolGate): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (!isFunction(value)) return value;
      if (property === 'unsafe') return (...args: unknown[]) => gatedQuery(() => value.apply(target, args), gate);
      if (property === 'begin') return (...args: unknown[]) => gate.run(async () => value.apply(target, args));
      return value.bind(target);
    },
    apply(target, thisArgument, args) {
      return Reflect.apply(target as AnyFunction, thisArgument, args);
    },
  });
}

/**
 * A lazy query that is only created, and sent, once a permit is held (on first await). The
 * driver's query is not created earlier on purpose: a postgres.js query created while the
 * pool reconnects and run later can miss the connection's error and never settle (seen
 * through the outage tests), which would hold its permit for good. Modifiers called before the
 * await (`values()`, `raw()`: drizzle calls `values()`) are recorded and replayed on it.
 */
function gatedQuery(create: () => unknown, gate: PoolGate): object {
  const modifiers: [string | symbol, unknown[]][] = [];
  let settled: Promise<unknown> | undefined;
  const run = () =>
    (settled ??= gate.run(async () => {
      let query = create();
      for (const [name, args] of modifiers) query = (Reflect.get(query as object, name) as AnyFunction).apply(query, args);
      return query;
    }));
  const proxy: object = new Proxy(
    {},
    {
      get(_target, property) {
        if (property === 'then') return (onFulfilled?: AnyFunction, onRejected?: AnyFunction) => run().then(onFulfilled, onRejected);
        if (property === 'catch') return (onRejected?: AnyFunction) => run().catch(onRejected);
        if (property === 'finally') return (onFinally?: () => void) => run().finally(onFinally);
        return (...args: unknown[]) => {
          modifiers.push([property, args]);
          return proxy;
        };
      },
    },
  );
  return proxy;
}
