/**
 * No N+1 for reports (issue 5): a page of 100 reports with author, org unit and the author's
 * manager costs the same few statements as a page of 5. Runs the real schema in process on a
 * database holding the demo data, counting every statement drizzle sends.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { graphql, type GraphQLSchema } from 'graphql';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import * as tables from '../../../db/schema.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { buildAbility } from '../../../policies/index.ts';
import type { Viewer } from '../../../policies/viewer.ts';
import { buildGatewaySchema } from '../../../schema/build.ts';
import type { GatewayContext } from '../../../schema/context.ts';
import { drivers, openTestDatabase, type TestDatabase } from '../../support/database.ts';

const ANALYST: Viewer = { kind: 'person', personId: 'p-frances', orgUnitId: 'ou-br-insights', roles: ['member', 'builder', 'analyst'], breakGlass: false };

const PAGE = `query($first: Int) {
  reports(first: $first) { edges { node {
    id title customerAccounts
    author { id displayName manager { id displayName } }
    orgUnit { id name }
  } } }
}`;

describe.each(drivers)('statements per reports page on $name', ({ name, available }) => {
  let database: TestDatabase;
  let schema: GraphQLSchema;
  let db: Database;
  let statements = 0;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    await loadDemoData(database.db);
    const logger: DrizzleLogger = { logQuery: () => void (statements += 1) };
    const client = (database.db as unknown as { $client: unknown }).$client;
    db =
      database.driver === 'pglite'
        ? (drizzlePglite({ client: client as PGlite, schema: tables, logger }) as unknown as Database)
        : (drizzlePostgres({ client: client as Sql, schema: tables, logger }) as unknown as Database);
    schema = await buildGatewaySchema();
  });
  afterAll(async () => database?.close());

  async function count(first: number) {
    const context = { requestId: 'statements', db, viewer: ANALYST, ability: buildAbility(ANALYST) } as unknown as GatewayContext;
    statements = 0;
    const result = await graphql({ schema, source: PAGE, variableValues: { first }, contextValue: context });
    expect(result.errors ?? []).toEqual([]);
    return { statements, rows: (result.data?.reports as { edges: unknown[] }).edges.length };
  }

  it.runIf(available)('page, authors, units, managers: four statements whatever the page size', async () => {
    const small = await count(5);
    const large = await count(100);
    expect(large.rows).toBe(100);
    expect(small.statements).toBe(4);
    expect(large.statements).toBe(4);
  });
});
