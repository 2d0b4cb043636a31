/**
 * The people directory over HTTP, as demo personas: `person`, `people` with every filter and
 * pagination to the end, the Person links, the email field rule, and what the directory shows
 * to those with no Person rule (a service, a person who has left). Expectations come from
 * walking demoSnapshot() in the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, personaClient } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { chainOf, demoPeople, demoPerson, idsWhere, subtreeOf } from './demo-org.ts';
import { collectPages, dataOf, sorted, type Connection } from './support.ts';

const PEOPLE = `query($first: Int, $after: String, $filter: PersonFilter) {
  people(first: $first, after: $after, filter: $filter) {
    totalCount edges { cursor node { id displayName active } } pageInfo { hasNextPage endCursor }
  }
}`;

describe('the people directory over HTTP', () => {
  let gateway: GatewayProcess;
  let client: ReturnType<typeof personaClient>;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  const people = async (persona: string, variables: Record<string, unknown>) =>
    dataOf<{ people: Connection }>(await client.as(persona).query(PEOPLE, variables)).people;

  describe('person(id)', () => {
    it('returns a person with their links: manager, direct reports, reporting chain, org unit', async () => {
      const response = await client.as('builder').query(`{
        alan: person(id: "p-alan") {
          id displayName title active email
          manager { id } directReports { id } reportingChain { id displayName } orgUnit { id name }
        }
        dorothy: person(id: "p-dorothy") { directReports { id } manager { id } }
        grace: person(id: "p-grace") { manager { id } reportingChain { id } }
      }`);
      const data = dataOf<Record<string, Record<string, unknown>>>(response);
      const alan = demoPerson('p-alan');
      expect(data.alan).toMatchObject({
        id: alan.id,
        displayName: alan.displayName,
        title: alan.title,
        active: true,
        email: alan.email,
        manager: { id: alan.managerId },
        directReports: [],
        orgUnit: { id: alan.orgUnitId },
      });
      // Up the manager links to the top, nearest first: Dennis, Dorothy, Katherine, Ada, Grace.
      const chain = chainOf('p-alan');
      expect(chain.slice(0, 4)).toEqual(['p-dennis', 'p-dorothy', 'p-katherine', 'p-ada']);
      expect((data.alan?.reportingChain as { id: string }[]).map((person) => person.id)).toEqual(chain);
      expect(sorted((data.dorothy?.directReports as { id: string }[]).map((person) => person.id))).toEqual(
        idsWhere((person) => person.managerId === 'p-dorothy'),
      );
      expect(data.dorothy?.manager).toEqual({ id: demoPerson('p-dorothy').managerId });
      expect(data.grace).toEqual({ manager: null, reportingChain: [] });
    });

    it('lists direct reports in the directory order, the same as the managerId filter', async () => {
      const data = dataOf<{ person: { directReports: { id: string }[] } }>(
        await client.as('outsider').query('{ person(id: "p-sven") { directReports { id } } }'),
      );
      const listed = await people('outsider', { first: 100, filter: { managerId: 'p-sven' } });
      expect(data.person.directReports.map((person) => person.id)).toEqual(listed.edges.map((edge) => edge.node.id));
      expect(listed.totalCount).toBe(idsWhere((person) => person.managerId === 'p-sven').length);
    });

    it('answers a missing or malformed id with null and no error, like each other', async () => {
      const query = 'query($id: ID!) { person(id: $id) { id } }';
      const missing = await client.as('builder').query(query, { id: 'p-nobody' });
      expect(missing.body).toEqual({ data: { person: null } });
      for (const id of ['', 'x'.repeat(500), 'p-\u0000alan', "p-alan' or '1'='1"]) {
        const response = await client.as('builder').query(query, { id });
        expect(response.text, JSON.stringify(id)).toBe(missing.text);
      }
    });

    it('shows inactive people, marked inactive', async () => {
      const data = dataOf<{ person: unknown }>(await client.as('outsider').query('{ person(id: "p-charles") { id active manager { id } } }'));
      expect(data.person).toEqual({ id: 'p-charles', active: false, manager: { id: demoPerson('p-charles').managerId } });
    });

    it('gives `me.person` its links too', async () => {
      const data = dataOf<{ me: { person: unknown } }>(
        await client.as('builder').query('{ me { person { id manager { id } orgUnit { id } reportingChain { id } } } }'),
      );
      expect(data.me.person).toEqual({
        id: 'p-alan',
        manager: { id: 'p-dennis' },
        orgUnit: { id: demoPerson('p-alan').orgUnitId },
        reportingChain: chainOf('p-alan').map((id) => ({ id })),
      });
    });
  });

  describe('the email field rule', () => {
    const query = '{ person(id: "p-alan") { id email manager { id email } } }';

    it('hides Alan’s email from a colleague outside his line: null and one FORBIDDEN at its path', async () => {
      const response = await client.as('outsider').query(query);
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ person: { id: 'p-alan', email: null, manager: { id: 'p-dennis', email: null } } });
      expect(response.body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
        [['person', 'email'], 'FORBIDDEN'],
        [['person', 'manager', 'email'], 'FORBIDDEN'],
      ]);
    });

    it('shows it to Alan, to a manager whose line holds him, and to an auditor', async () => {
      for (const persona of ['builder', 'manager', 'director', 'auditor']) {
        const response = await client.as(persona).query('{ person(id: "p-alan") { email } }');
        expect(dataOf(response), persona).toEqual({ person: { email: demoPerson('p-alan').email } });
      }
      // Alan's own manager chain is not in his line: their addresses stay hidden from him.
      const builder = await client.as('builder').query(query);
      expect(builder.body.errors?.map((error) => error.path)).toEqual([['person', 'manager', 'email']]);
    });

    it('masks email per row in lists, at each row’s path', async () => {
      const response = await client.as('manager').query(`{ people(first: 100, filter: { managerId: "p-katherine" }) { edges { node { id email } } } }`);
      const edges = (response.body.data?.people as Connection).edges;
      const hidden = edges.flatMap((edge, index) => (edge.node.email === null ? [index] : []));
      // Dorothy sees her own address; Sven, her peer, is outside her line.
      expect(edges.find((edge) => edge.node.id === 'p-dorothy')?.node.email).toBe(demoPerson('p-dorothy').email);
      expect(hidden.map((index) => edges[index]?.node.id)).toEqual(['p-sven']);
      expect(response.body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual(
        hidden.map((index) => [['people', 'edges', index, 'node', 'email'], 'FORBIDDEN']),
      );
    });
  });

  describe('people(first, after, filter)', () => {
    it('pages through the whole directory with no duplicate and no gap, inactive people included', async () => {
      const whole = await people('builder', { first: 100 });
      expect(whole.totalCount).toBe(demoPeople.length);
      expect(whole.pageInfo.hasNextPage).toBe(false);
      expect(sorted(whole.edges.map((edge) => edge.node.id))).toEqual(idsWhere(() => true));

      const paged = await collectPages((after) => people('builder', { first: 7, after }));
      const ids = paged.nodes.map((node) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(whole.edges.map((edge) => edge.node.id));
      expect(paged.pages).toBe(Math.ceil(demoPeople.length / 7));
      expect(new Set(paged.totalCounts)).toEqual(new Set([demoPeople.length]));
    });

    it('orders by display name (ties by id) and defaults to 20 per page', async () => {
      const first = await people('outsider', {});
      expect(first.edges).toHaveLength(20);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const names = first.edges.map((edge) => edge.node.displayName);
      expect(names.every((name, index) => index === 0 || (names[index - 1] ?? '') <= name)).toBe(true);
    });

    const filters: [string, Record<string, unknown>, string[]][] = [
      ['orgUnitId (exactly that unit)', { orgUnitId: 'ou-br-advocacy-americas' }, idsWhere((p) => p.orgUnitId === 'ou-br-advocacy-americas')],
      ['orgUnitId, includeSubUnits false', { orgUnitId: 'ou-br', includeSubUnits: false }, idsWhere((p) => p.orgUnitId === 'ou-br')],
      ['orgUnitId with its subtree', { orgUnitId: 'ou-br', includeSubUnits: true }, idsWhere((p) => subtreeOf('ou-br').has(p.orgUnitId))],
      ['a leaf unit with its subtree', { orgUnitId: 'ou-sales-na', includeSubUnits: true }, idsWhere((p) => p.orgUnitId === 'ou-sales-na')],
      ['managerId (direct reports)', { managerId: 'p-dorothy' }, idsWhere((p) => p.managerId === 'p-dorothy')],
      ['managerId of someone with none', { managerId: 'p-alan' }, []],
      ['active: true', { active: true }, idsWhere((p) => p.active)],
      ['active: false', { active: false }, idsWhere((p) => !p.active)],
      ['search, any case', { search: 'AN' }, idsWhere((p) => p.displayName.toLowerCase().includes('an'))],
      ['search with a space', { search: 'n t' }, idsWhere((p) => p.displayName.toLowerCase().includes('n t'))],
      ['search: % is a character, not a wildcard', { search: '%' }, idsWhere((p) => p.displayName.includes('%'))],
      ['search: _ is a character, not a wildcard', { search: 'a_a' }, idsWhere((p) => p.displayName.toLowerCase().includes('a_a'))],
      ['search: a backslash is a character', { search: '\\' }, idsWhere((p) => p.displayName.includes('\\'))],
      [
        'all together',
        { orgUnitId: 'ou-br', includeSubUnits: true, active: true, search: 'e', managerId: 'p-dennis' },
        idsWhere((p) => subtreeOf('ou-br').has(p.orgUnitId) && p.active && p.displayName.toLowerCase().includes('e') && p.managerId === 'p-dennis'),
      ],
      ['an unknown org unit', { orgUnitId: 'ou-nowhere', includeSubUnits: true }, []],
      ['a malformed manager id', { managerId: 'x'.repeat(300) }, []],
    ];

    it.each(filters)('filters by %s', async (_name, filter, expected) => {
      const page = await people('outsider', { first: 100, filter });
      expect(sorted(page.edges.map((edge) => edge.node.id))).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
      expect(page.pageInfo.hasNextPage).toBe(false);
    });

    it('keeps the filter across pages', async () => {
      const filter = { orgUnitId: 'ou-br', includeSubUnits: true };
      const paged = await collectPages((after) => people('builder', { first: 6, after, filter }));
      const ids = paged.nodes.map((node) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(sorted(ids)).toEqual(idsWhere((p) => subtreeOf('ou-br').has(p.orgUnitId)));
      expect(new Set(paged.totalCounts)).toEqual(new Set([ids.length]));
    });

    it('refuses a page size over 100 or below 0, an over-long search and a cursor it did not give out', async () => {
      for (const variables of [{ first: 101 }, { first: -1 }, { filter: { search: 'a'.repeat(201) } }, { after: 'bm9wZQ' }]) {
        const response = await client.as('builder').query(PEOPLE, variables);
        expect(codes(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
        expect(response.body.data ?? null).toBeNull();
      }
      const hundred = await people('builder', { first: 100 });
      expect(hundred.edges.length).toBe(Math.min(100, demoPeople.length));
    });
  });

  describe('callers with no Person rule', () => {
    it.each(['dashboard', 'inactive'])('%s reads no person, an empty directory and no org units', async (persona) => {
      const response = await client.as(persona).query(`{
        person(id: "p-alan") { id }
        people(first: 100) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }
        orgUnit(id: "ou-br") { id }
        orgUnits { id }
        me { scope { totalCount edges { node { id } } } }
      }`);
      expect(response.body).toEqual({
        data: {
          person: null,
          people: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
          orgUnit: null,
          orgUnits: [],
          me: { scope: { totalCount: 0, edges: [] } },
        },
      });
    });
  });
});
