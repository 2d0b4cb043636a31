/**
 * SQL statements per request, for the request log line: a counter in AsyncLocalStorage,
 * incremented by a drizzle `Logger`. drizzle calls `logQuery` once for every statement it
 * sends, on both drivers (postgres.js and PGlite), inside transactions too, and in the async
 * context of the caller, so concurrent requests count separately.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';

interface Counter {
  count: number;
}

const storage = new AsyncLocalStorage<Counter>();

/** Runs `fn` with a fresh statement counter; statements outside any counter are not counted. */
export function runWithSqlCounter<T>(fn: () => T): T {
  return storage.run({ count: 0 }, fn);
}

/** Statements sent so far in the current counter, or undefined outside `runWithSqlCounter`. */
export function currentSqlCount(): number | undefined {
  return storage.getStore()?.count;
}

/** Adds one statement to the current counter, if any (for a query path drizzle does not see). */
export function countSqlStatement(): void {
  const counter = storage.getStore();
  if (counter) counter.count += 1;
}

type StatementTap = (query: string, params: unknown[]) => void;
const taps = new Set<StatementTap>();

/**
 * Sees every statement drizzle sends, in this process (the benchmark's SQL capture). Returns
 * the function that removes the tap.
 */
export function tapStatements(tap: StatementTap): () => void {
  taps.add(tap);
  return () => void taps.delete(tap);
}

/** A drizzle logger that counts statements and, when given, passes each on to `next`. */
export function createSqlCountingLogger(next?: DrizzleLogger): DrizzleLogger {
  return {
    logQuery(query, params) {
      countSqlStatement();
      for (const tap of taps) tap(query, params);
      next?.logQuery(query, params);
    },
  };
}

/** `drizzle({ client, schema, logger: sqlCountingLogger })`. */
export const sqlCountingLogger: DrizzleLogger = createSqlCountingLogger();
