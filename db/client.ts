/**
 * One database API over two drivers: postgres.js against PostgreSQL (DATABASE_URL), or the
 * embedded PGlite. Both give a drizzle `PgDatabase` over the same schema, so every query and
 * migration runs unchanged on either.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
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

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: DatabaseTarget['driver'];
  /** Runs a trivial statement; rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const IN_MEMORY = 'memory://';

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.driver === 'postgres' ? openPostgres(target.url, target.poolMax ?? 10) : openPglite(target.dataDir);
}

function openPostgres(url: string, poolMax: number): DatabaseHandle {
  const client = postgres(url, {
    max: poolMax,
    // postgres.js defaults to a 30 s connect timeout and never closes idle connections.
    connect_timeout: 5,
    idle_timeout: 60,
    max_lifetime: 30 * 60,
    onnotice: () => {},
    connection: {
      application_name: 'builder-insights-gateway',
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 15_000,
    },
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Database;
  return {
    db,
    driver: 'postgres',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.startsWith(IN_MEMORY)) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir.startsWith(IN_MEMORY) ? undefined : dataDir);
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}
