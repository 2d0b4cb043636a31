/**
 * No N+1 for reports (issue 5): a page of 100 reports with author, org unit and the author's
 * manager costs the same few statements as a page of 5. Runs the real schema in process on a
 * database holding the demo data, counting every statement drizzle sends.
 */
import { graphql, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { people } from '../../../db/schema.ts';
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

// The same question, the manager asked for through a fragment.
const PAGE_WITH_FRAGMENT = `query($first: Int) {
  reports(first: $first) { edges { node {
    id title customerAccounts
    author { id displayName ...Boss }
    orgUnit { id name }
  } } }
}
fragment Boss on Person { manager { id displayName } }`;

// The bench's W7: reports → author → manager → the manager's unit.
const NESTED_PAGE = `query($first: Int) {
  reports(first: $first) { edges { node {
    id title
    author { id displayName manager { id displayName orgUnit { id name } } }
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

  async function count(first: number, source = PAGE) {
    const context = { requestId: 'statements', db, viewer: ANALYST, ability: buildAbility(ANALYST) } as unknown as GatewayContext;
    counting.reset();
    const result = await graphql({ schema, source, variableValues: { first }, contextValue: context });
    expect(result.errors ?? []).toEqual([]);
    const edges = (result.data?.reports as { edges: { node: { author: { manager: unknown } | null } }[] }).edges;
    return { statements: counting.count(), rows: edges.length, managers: edges.map((edge) => edge.node.author?.manager ?? null), data: result.data };
  }

  it.runIf(available)('page, authors with their managers, units: three statements whatever the page size', async () => {
    const small = await count(5);
    const large = await count(100);
    expect(large.rows).toBe(100);
    expect(large.managers.filter((manager) => manager !== null).length).toBeGreaterThan(0);
    expect(small.statements).toBe(3);
    expect(large.statements).toBe(3);
  });

  it.runIf(available)('page, then authors with their managers and the managers\' units: two statements whatever the page size', async () => {
    const small = await count(5, NESTED_PAGE);
    const large = await count(100, NESTED_PAGE);
    expect(large.rows).toBe(100);
    expect(large.managers.filter((manager) => (manager as { orgUnit: unknown } | null)?.orgUnit).length).toBeGreaterThan(0);
    expect(small.statements).toBe(2);
    expect(large.statements).toBe(2);
  });

  it.runIf(available).each([
    ['managers', PAGE.replace('customerAccounts', ''), 'manager { id displayName }'],
    ['managers and their units', NESTED_PAGE, 'manager { id displayName orgUnit { id name } }'],
  ])('gives every viewer the %s that person(id) gives them', async (_name, source, managerSelection) => {
    const directory = (await db.select({ id: people.id, orgUnitId: people.orgUnitId }).from(people)) as { id: string; orgUnitId: string }[];
    expect(directory.length).toBeGreaterThan(5);
    for (const person of directory) {
      const viewer: Viewer = { kind: 'person', personId: person.id, orgUnitId: person.orgUnitId, roles: ['member'], breakGlass: false };
      const contextValue = { requestId: 'managers', db, viewer, ability: buildAbility(viewer) } as unknown as GatewayContext;
      const page = await graphql({ schema, source, variableValues: { first: 100 }, contextValue });
      expect(page.errors ?? []).toEqual([]);
      const authors = (page.data?.reports as { edges: { node: { author: { id: string; manager: unknown } | null } }[] }).edges
        .flatMap((edge) => (edge.node.author ? [edge.node.author] : []));
      if (authors.length === 0) continue;
      const ids = [...new Set(authors.map((author) => author.id))];
      const oneByOne = await graphql({
        schema,
        source: `{ ${ids.map((id, index) => `p${index}: person(id: ${JSON.stringify(id)}) { ${managerSelection} }`).join(' ')} }`,
        contextValue: { ...contextValue },
      });
      expect(oneByOne.errors ?? []).toEqual([]);
      for (const author of authors) {
        const alone = oneByOne.data?.[`p${ids.indexOf(author.id)}`] as { manager: unknown } | null;
        expect(author.manager, `${person.id} reading ${author.id}`).toEqual(alone?.manager ?? null);
      }
    }
  });

  it.runIf(available)('sees the manager asked for through a fragment, with the same answer', async () => {
    const plain = await count(100);
    const viaFragment = await count(100, PAGE_WITH_FRAGMENT);
    expect(viaFragment.statements).toBe(3);
    expect(viaFragment.data).toEqual(plain.data);
  });
});
