/**
 * No N+1 in the org API: a page of people with every link, and the unit list with members and
 * children, cost a fixed number of SQL statements whatever the page size. Runs the real schema
 * in process against a database holding the demo org, counting what drizzle sends.
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
import { demoPeople } from './demo-org.ts';

const VP: Viewer = { kind: 'person', personId: 'p-ada', orgUnitId: 'ou-br', roles: ['member', 'builder', 'manager'], breakGlass: false };

const PEOPLE_WITH_LINKS = `query($first: Int) {
  people(first: $first) { totalCount edges { node {
    id email
    manager { id email orgUnit { id } }
    directReports { id email }
    reportingChain { id }
    orgUnit { id parent { id } children { id } }
  } } }
}`;

const UNITS_WITH_MEMBERS = `{
  orgUnits { id parent { id } children { id }
    members(first: 3) { totalCount edges { node { id manager { id } } } }
  }
}`;

describe.each(drivers)('statements per org request on $name', ({ name, available }) => {
  let database: TestDatabase;
  let schema: GraphQLSchema;
  let counting: CountingDatabase;
  let db: Database;

  beforeAll(async () => {
    if (!available) return;
    database = await openTestDatabase(name);
    await loadDemoData(database.db);
    counting = countingDatabase(database);
    db = counting.db;
    schema = await buildGatewaySchema();
  });
  afterAll(async () => database?.close());

  async function countStatements(source: string, variables?: Record<string, unknown>) {
    // Only what the org resolvers read is in this context: a fresh one per request, like the gateway's.
    const context = { requestId: 'statements-test', db, viewer: VP, ability: buildAbility(VP) } as unknown as GatewayContext;
    counting.reset();
    const result = await graphql({ schema, source, variableValues: variables ?? {}, contextValue: context });
    expect((result.errors ?? []).filter((error) => error.extensions.code !== 'FORBIDDEN')).toEqual([]);
    return { statements: counting.count(), data: result.data };
  }

  it.runIf(available)('a page of people with manager, reports, chain and unit: one statement per kind, any page size', async () => {
    const small = await countStatements(PEOPLE_WITH_LINKS, { first: 5 });
    const large = await countStatements(PEOPLE_WITH_LINKS, { first: 100 });
    expect((large.data?.people as { edges: unknown[] }).edges).toHaveLength(Math.min(100, demoPeople.length));
    // page + count, then managers, direct reports, chains, units; then the managers' units,
    // parents and children. DataLoader batches per tick, so the exact figure can move by one or
    // two with timing, but not with the number of rows (N+1 would be hundreds here).
    expect(large.statements).toBeLessThanOrEqual(9);
    expect(small.statements).toBeLessThanOrEqual(9);
  });

  it.runIf(available)('the unit list with parents, children and a page of members each', async () => {
    const { statements: count, data } = await countStatements(UNITS_WITH_MEMBERS);
    expect((data?.orgUnits as unknown[]).length).toBeGreaterThan(10);
    // units, then parents + children + member pages + member counts, then the members' managers.
    expect(count).toBeLessThanOrEqual(6);
  });
});
