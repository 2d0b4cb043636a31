/**
 * Database spans at the one place both drivers pass through: the client object handed to
 * drizzle. Neither postgres.js nor PGlite has OpenTelemetry instrumentation, and drizzle's
 * logger sees a statement only before it runs (no end, no error), so db/client.ts wraps the
 * client once:
 *
 *   drizzlePostgres({ client: tracePostgresClient(client), schema, logger: sqlCountingLogger })
 *   drizzlePglite({ client: tracePgliteClient(client), schema, logger: sqlCountingLogger })
 *
 * Every statement drizzle sends (inside transactions and savepoints too) then runs in a
 * `withDbSpan` named after its kind; no statement text or parameter is recorded. With tracing
 * off the cost is a no-op span per statement.
 */
import { statementKindOf, withDbSpan } from './tracing.ts';

type AnyFunction = (...args: unknown[]) => unknown;

/** Answered `true` by a traced client: wrapping it again returns it as it is (one span per statement). */
const TRACED = Symbol('gateway.db-traced');

const isTraced = (client: object): boolean => Reflect.get(client, TRACED) === true;

const isFunction = (value: unknown): value is AnyFunction => typeof value === 'function';

/** Calls `name` on the target with `this` bound to it (drivers keep state in private fields). */
function passThrough(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return isFunction(value) ? value.bind(target) : value;
}

/**
 * PGlite: `query` and `exec` run in a span; a transaction's client is wrapped the same way.
 */
export function tracePgliteClient<T extends object>(client: T): T {
  if (isTraced(client)) return client;
  return new Proxy(client, {
    get(target, property) {
      if (property === TRACED) return true;
      const value: unknown = Reflect.get(target, property, target);
      if (!isFunction(value)) return value;
      if (property === 'query' || property === 'exec') {
        return (text: unknown, ...rest: unknown[]) =>
          withDbSpan(statementKindOf(typeof text === 'string' ? text : ''), async () => value.call(target, text, ...rest));
      }
      if (property === 'transaction') {
        return (callback: AnyFunction) => value.call(target, (tx: object) => callback(tracePgliteClient(tx)));
      }
      return value.bind(target);
    },
  });
}

/**
 * postgres.js: `unsafe(text, params)` returns a lazy query that runs when awaited; the wrapper
 * runs it in a span at that moment (modifiers like `.values()` keep the wrapper). `begin` and
 * `savepoint` hand their callback a wrapped transaction client.
 */
export function tracePostgresClient<T extends object>(client: T): T {
  if (isTraced(client)) return client;
  return new Proxy(client, {
    get(target, property) {
      if (property === TRACED) return true;
      const value: unknown = Reflect.get(target, property, target);
      if (!isFunction(value)) return value;
      if (property === 'unsafe') {
        return (text: unknown, ...rest: unknown[]) => {
          const query = value.call(target, text, ...rest);
          return typeof query === 'object' && query !== null ? tracedQuery(query, statementKindOf(typeof text === 'string' ? text : '')) : query;
        };
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) =>
          value.call(target, ...args.map((arg) => (isFunction(arg) ? (tx: object) => arg(tracePostgresClient(tx)) : arg)));
      }
      return value.bind(target);
    },
    // The postgres.js client is itself a function (tagged template): keep it callable.
    apply(target, thisArgument, args) {
      return Reflect.apply(target as AnyFunction, thisArgument, args);
    },
  });
}

function tracedQuery(query: object, kind: ReturnType<typeof statementKindOf>): object {
  let settled: Promise<unknown> | undefined;
  const run = () =>
    (settled ??= withDbSpan(
      kind,
      () =>
        new Promise<unknown>((resolve, reject) => {
          (Reflect.get(query, 'then', query) as AnyFunction).call(query, resolve, reject);
        }),
    ));
  const proxy: object = new Proxy(query, {
    get(target, property) {
      if (property === 'then') return (onFulfilled?: AnyFunction, onRejected?: AnyFunction) => run().then(onFulfilled, onRejected);
      if (property === 'catch') return (onRejected?: AnyFunction) => run().catch(onRejected);
      if (property === 'finally') return (onFinally?: () => void) => run().finally(onFinally);
      const value = passThrough(target, property);
      if (!isFunction(value)) return value;
      // Modifiers (`values()`, `raw()`, …) return the query itself: keep returning the wrapper.
      return (...args: unknown[]) => {
        const result = value(...args);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}
