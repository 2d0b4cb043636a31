import { setImmediate as tick } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import * as schema from '../../../db/schema.ts';
import { orgUnits } from '../../../db/schema.ts';
import {
  createSqlCountingLogger,
  currentSqlCount,
  runWithSqlCounter,
  sqlCountingLogger,
} from '../../../telemetry/sql-counter.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

/** A second drizzle instance over the test database's own client, with the given logger. */
function countingDrizzle(database: TestDatabase, logger: DrizzleLogger): Database {
  const client = (database.db as unknown as { $client: unknown }).$client;
  return database.driver === 'pglite'
    ? (drizzlePglite({ client: client as PGlite, schema, logger }) as unknown as Database)
    : (drizzlePostgres({ client: client as Sql, schema, logger }) as unknown as Database);
}

describe.each(drivers)('SQL statement counter on $name', ({ name, available }) => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    db = countingDrizzle(database, sqlCountingLogger);
  });
  afterAll(async () => database?.close());

  describe.runIf(available)('with the counting logger', () => {
    it('counts each statement sent in the context, none outside it', async () => {
      await db.execute(sql`select 1`); // outside any counter: ignored
      expect(currentSqlCount()).toBeUndefined();
      const counted = await runWithSqlCounter(async () => {
        expect(currentSqlCount()).toBe(0);
        await db.select().from(orgUnits);
        await db.execute(sql`select 2`);
        await db.select({ id: orgUnits.id }).from(orgUnits).where(sql`false`);
        return currentSqlCount();
      });
      expect(counted).toBe(3);
    });

    it('keeps concurrent, interleaved contexts apart', async () => {
      const request = async (statements: number): Promise<number | undefined> =>
        runWithSqlCounter(async () => {
          for (let i = 0; i < statements; i += 1) {
            await db.execute(sql`select ${i}::int as n`);
            await tick(); // let the other context run in between
          }
          return currentSqlCount();
        });
      const results = await Promise.all([request(3), request(7), request(1), request(5)]);
      expect(results).toEqual([3, 7, 1, 5]);
    });

    it('counts statements inside a transaction, in the context that opened it', async () => {
      const [inTransaction, other] = await Promise.all([
        runWithSqlCounter(async () => {
          await db.transaction(async (tx) => {
            await tx.select().from(orgUnits);
            await tick();
            await tx.execute(sql`select 1`);
          });
          return currentSqlCount();
        }),
        runWithSqlCounter(async () => {
          await db.execute(sql`select 1`);
          return currentSqlCount();
        }),
      ]);
      // The two statements drizzle sends in the transaction (BEGIN/COMMIT are the driver's).
      expect(inTransaction).toBe(2);
      expect(other).toBe(1);
    });

    it('passes every statement on to a next logger when chained', async () => {
      const seen: string[] = [];
      const chained = countingDrizzle(database, createSqlCountingLogger({ logQuery: (query) => seen.push(query) }));
      const count = await runWithSqlCounter(async () => {
        await chained.execute(sql`select 42`);
        return currentSqlCount();
      });
      expect(count).toBe(1);
      expect(seen).toEqual(['select 42']);
    });
  });
});
