/**
 * No N+1 for reports (issue 5): a page of 100 reports with author, org unit and the author's
 * manager costs the same few statements as a page of 5. Runs the real schema in process on a
 * database holding the demo data, counting every statement drizzle sends.
 */
import { graphql, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { loadDemoData } from '../../../db/seed/load-demo.ts';
import { buildAbility } from '../../../policies/index.ts';
import type { Viewer } from '../../../policies/viewer.ts';
import { buildGatewaySchema } from '../../../schema/build.ts';
import type { GatewayContext } from '../../../schema/context.ts';
import { countingDatabase, type CountingDatabase } from '../../support/counting-database.ts';
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
  let counting: CountingDatabase;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    await loadDemoData(database.db);
    counting = countingDatabase(database);
    db = counting.db;
    schema = await buildGatewaySchema();
  });
  afterAll(async () => database?.close());

  async function count(first: number) {
    const context = { requestId: 'statements', db, viewer: ANALYST, ability: buildAbility(ANALYST) } as unknown as GatewayContext;
    counting.reset();
    const result = await graphql({ schema, source: PAGE, variableValues: { first }, contextValue: context });
    expect(result.errors ?? []).toEqual([]);
    return { statements: counting.count(), rows: (result.data?.reports as { edges: unknown[] }).edges.length };
  }

  it.runIf(available)('page, authors, units, managers: four statements whatever the page size', async () => {
    const small = await count(5);
    const large = await count(100);
    expect(large.rows).toBe(100);
    expect(small.statements).toBe(4);
    expect(large.statements).toBe(4);
  });
});
