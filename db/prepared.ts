/**
 * Reads built once and run many times. drizzle builds a statement's text from its query tree on
 * every call: 11% of the gateway's CPU on a page of reports (`--cpu-prof` under the benchmark's
 * W1). The reads every page makes — a report by id, a page of reports, people and units by id —
 * vary only in the policy scope (compiled once per viewer, policies/compiled.ts) and a shape
 * (order, cursor or not). They are prepared with placeholders for their values and kept per
 * database, keyed by which scope objects they were built with and the shape.
 *
 * Written here rather than found: drizzle's prepared queries are the mechanism, but deciding
 * when a built statement may be reused (same scope objects, same shape, not a transaction) is
 * the gateway's own knowledge.
 */
import { is, sql, type SQL } from 'drizzle-orm';
import { PgDialect, PgTransaction } from 'drizzle-orm/pg-core';
import { LRUCache } from 'lru-cache';
import type { Executor } from './client.ts';
import { rowsOf } from './rows.ts';

/** Statements kept per database (a few kB of text each); the least recently used is built again. */
export const PREPARED_READS_PER_DATABASE = 2000;

/** What drizzle's `.prepare()` returns, as far as running it goes. */
export interface PreparedRead<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

/**
 * What makes two builds of one read the same statement: the scope objects in it (by identity:
 * equal conditions for two viewers are still two abilities' scopes) and everything else that
 * changes its text, spelt out by the caller.
 */
export interface ReadKey {
  readonly scopes: readonly object[];
  readonly shape: string;
}

const serials = new WeakMap<object, number>();
let nextSerial = 1;

function serialOf(object: object): number {
  let serial = serials.get(object);
  if (serial === undefined) {
    serial = nextSerial++;
    serials.set(object, serial);
  }
  return serial;
}

const byDatabase = new WeakMap<object, LRUCache<string, PreparedRead<unknown>>>();

function cacheOf(db: Executor): LRUCache<string, PreparedRead<unknown>> {
  let cache = byDatabase.get(db);
  if (!cache) {
    cache = new LRUCache({ max: PREPARED_READS_PER_DATABASE });
    byDatabase.set(db, cache);
  }
  return cache;
}

/**
 * The read `build` prepares, from the cache when it was built before for `key` on `db`. A
 * transaction's handle lives for one transaction and its statements must run on its
 * connection, so inside one, as without a key, the read is built afresh.
 */
export function preparedRead<Result>(db: Executor, key: ReadKey | undefined, build: () => PreparedRead<Result>): PreparedRead<Result> {
  if (!key || is(db, PgTransaction)) return build();
  const cache = cacheOf(db);
  const name = `${key.scopes.map(serialOf).join(',')}|${key.shape}`;
  const found = cache.get(name) as PreparedRead<Result> | undefined;
  if (found) return found;
  const built = build();
  cache.set(name, built as PreparedRead<unknown>);
  return built;
}

const dialect = new PgDialect();

/**
 * Opens a statement that PostgreSQL must plan on every execution, with its own values.
 *
 * A named statement (every read kept here) may get PostgreSQL's generic plan after five runs
 * under plan_cache_mode `auto`: one plan for every viewer. That is right for reads whose cost
 * does not depend on who asks (a report by id, people by id, counter rows) and wrong for a read
 * that scans as much as the viewer reaches: the week grouping's line share planned generically
 * took 5.4 s for the VP against 2.6 s planned with the VP's values (`npm run bench`, plan
 * section). Such a statement is sent unnamed, so it is planned with its values every time
 * whatever the mode; its planning is a millisecond against seconds of execution. The comment
 * leads the text so that pg_stat_activity shows it and the benchmark's raw baseline sends it the
 * same way.
 */
export const PLANNED_PER_EXECUTION = '/* planned per execution */';

export function plannedPerExecution(statement: SQL): SQL {
  return sql`${sql.raw(PLANNED_PER_EXECUTION)} ${statement}`;
}

/**
 * A raw statement (drizzle's `sql`, with `sql.placeholder`s for its values) prepared as the
 * query builders' `.prepare()` prepares theirs, for reads the builders cannot express; it
 * answers rows, whichever the driver. A statement opened by plannedPerExecution is built once
 * all the same, and sent unnamed.
 */
export function prepareStatement<Row extends Record<string, unknown>>(db: Executor, statement: SQL, name: string): PreparedRead<Row[]> {
  const query = dialect.sqlToQuery(statement);
  // drizzle names the driver's statement when it is given a name, and only then.
  const driverName = query.sql.startsWith(PLANNED_PER_EXECUTION) ? undefined : name;
  const prepared = db._.session.prepareQuery(query, undefined, driverName, false);
  return { execute: async (values) => rowsOf<Row>(await prepared.execute(values)) };
}
