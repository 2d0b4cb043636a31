/**
 * One database API over two drivers: postgres.js against PostgreSQL (DATABASE_URL), or the
 * embedded PGlite. Both give a drizzle `PgDatabase` over the same schema, so every query and
 * migration runs unchanged on either.
 *
 * The driver client handed to drizzle is wrapped once: database spans (telemetry/db-tracing.ts),
 * a statement counter per request (telemetry/sql-counter.ts, as drizzle's logger) and, for
 * PostgreSQL, the pool gate with its acquisition deadline (pool-gate.ts).
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { tracePgliteClient, tracePostgresClient } from '../telemetry/db-tracing.ts';
import { tracingStatus } from '../telemetry/tracing.ts';
import { sqlCountingLogger } from '../telemetry/sql-counter.ts';
import { createPoolGate, gatePostgresClient, type PoolStats } from './pool-gate.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** The handle passed to code that must run inside a caller's transaction. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either a database or a transaction: repositories accept both. */
export type Executor = Database | Transaction;

export type DatabaseTarget =
  | { readonly driver: 'postgres'; readonly url: string; readonly poolMax?: number }
  | { readonly driver: 'pglite'; readonly dataDir: string };

/** The postgres.js client, for what drizzle cannot express (COPY FROM STDIN). */
export type PostgresClient = postgres.Sql;

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: DatabaseTarget['driver'];
  /**
   * PostgreSQL: the client drizzle runs on, pool gate and spans included, so that work done
   * through it (the seed's COPY) holds a pooled connection like any other. Undefined for PGlite.
   */
  readonly postgresClient: PostgresClient | undefined;
  /** Runs a trivial statement; rejects when the database cannot answer. */
  ping(): Promise<void>;
  /** Pool figures (PostgreSQL); undefined for the embedded database, which has no pool. */
  pool(): PoolStats | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Longest wait for a pooled connection (PostgreSQL): past it, PoolDeadlineError (503). Default 2000. */
  readonly acquireTimeoutMs?: number;
  /** Seconds `close()` lets running statements finish before it ends connections. Default 5. */
  readonly closeTimeoutS?: number;
  /** postgres.js prepared statements (PostgreSQL). Default true, postgres.js's own default. */
  readonly prepare?: boolean;
  /** PostgreSQL's plan_cache_mode on every connection. Default: the server's (auto). */
  readonly planCacheMode?: 'auto' | 'force_custom_plan' | 'force_generic_plan';
}

export const IN_MEMORY = 'memory://';

/**
 * The driver client with a span per statement when traces are exported, as it is otherwise:
 * the wrapper's proxies and no-op spans were 3% of a page's CPU with nothing recording them.
 * Tracing starts before the database opens (telemetry/register.ts), so this is decided once.
 */
function spansWhenTracing<T extends object>(client: T, traced: (client: T) => T): T {
  return tracingStatus().enabled ? traced(client) : client;
}

export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  return target.driver === 'postgres' ? openPostgres(target.url, target.poolMax ?? 10, options) : openPglite(target.dataDir);
}

function openPostgres(url: string, poolMax: number, options: OpenDatabaseOptions): DatabaseHandle {
  const client = postgres(url, {
    max: poolMax,
    prepare: options.prepare ?? true,
    // postgres.js defaults to a 30 s connect timeout and never closes idle connections.
    connect_timeout: 5,
    idle_timeout: 60,
    max_lifetime: 30 * 60,
    // After connection failures postgres.js waits before reconnecting, by default up to 20 s
    // (3^failures / 100 s, the count shared by the pool): after an outage, requests would then
    // fail on CONNECT_TIMEOUT long after the database is back. Capped at about a second, so
    // the gateway recovers within a second or two of the database.
    backoff: reconnectDelayS,
    onnotice: () => {},
    connection: {
      application_name: 'builder-insights-gateway',
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 15_000,
      ...(options.planCacheMode ? { plan_cache_mode: options.planCacheMode } : {}),
    },
  });
  const gate = createPoolGate({ size: poolMax, acquireTimeoutMs: options.acquireTimeoutMs ?? 2000 });
  const wrapped = gatePostgresClient(spansWhenTracing(client, tracePostgresClient), gate);
  const db = drizzlePostgres({ client: wrapped, schema, logger: sqlCountingLogger }) as unknown as Database;
  return {
    db,
    driver: 'postgres',
    postgresClient: wrapped,
    ping: async () => void (await db.execute(sql`select 1`)),
    pool: () => gate.stats(),
    // On the unwrapped client: ending the pool takes no permit.
    close: () => client.end({ timeout: options.closeTimeoutS ?? 5 }),
  };
}

/** Seconds before reconnecting after `failures` consecutive connection failures: 50 ms doubling, at most ~1 s, jittered. */
export function reconnectDelayS(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.startsWith(IN_MEMORY)) mkdirSync(dataDir, { recursive: true });
  // Loaded only when embedded: the PGlite module alone is ~27 MB of a PostgreSQL gateway's memory.
  const [{ PGlite: Embedded }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  const client: PGlite = await Embedded.create(dataDir.startsWith(IN_MEMORY) ? undefined : dataDir);
  const db = drizzlePglite({ client: spansWhenTracing(client, tracePgliteClient), schema, logger: sqlCountingLogger }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    postgresClient: undefined,
    ping: async () => void (await db.execute(sql`select 1`)),
    pool: () => undefined,
    close: () => client.close(),
  };
}
