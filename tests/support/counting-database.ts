/**
 * A drizzle database over an open test database's own client that counts every statement it
 * sends, for "no N+1" tests that run the schema in process.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Database } from '../../db/client.ts';
import * as tables from '../../db/schema.ts';
import type { TestDatabase } from './database.ts';

export interface CountingDatabase {
  readonly db: Database;
  /** Statements sent since the last reset. */
  count(): number;
  reset(): void;
}

export function countingDatabase(database: TestDatabase): CountingDatabase {
  let statements = 0;
  const logger: DrizzleLogger = { logQuery: () => void (statements += 1) };
  const client = (database.db as unknown as { $client: unknown }).$client;
  const db =
    database.driver === 'pglite'
      ? (drizzlePglite({ client: client as PGlite, schema: tables, logger }) as unknown as Database)
      : (drizzlePostgres({ client: client as Sql, schema: tables, logger }) as unknown as Database);
  return { db, count: () => statements, reset: () => void (statements = 0) };
}
