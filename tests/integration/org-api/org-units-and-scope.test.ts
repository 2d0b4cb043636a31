/**
 * Org units and the viewer's reporting line over HTTP: `orgUnit`, `orgUnits` (the tree as a flat
 * list), parent/children/members, and `Viewer.scope` paged to the end. Expectations come from
 * walking demoSnapshot() in the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, personaClient } from '../../support/graphql-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.ts';
import { belowOf, demoPerson, demoUnits, idsWhere, unitDepth } from './demo-org.ts';
import { collectPages, dataOf, sorted, type Connection } from './support.ts';

interface UnitNode {
  id: string;
  name: string;
  kind: string | null;
  active: boolean;
  inBuilderRelations: boolean;
  parent: { id: string } | null;
  children: { id: string }[];
}

const SCOPE = `query($first: Int, $after: String) {
  me { scope(first: $first, after: $after) {
    totalCount edges { cursor node { id displayName email } } pageInfo { hasNextPage endCursor }
  } }
}`;

const MEMBERS = `query($id: ID!, $first: Int, $after: String) {
  orgUnit(id: $id) { members(first: $first, after: $after) {
    totalCount edges { cursor node { id displayName } } pageInfo { hasNextPage endCursor }
  } }
}`;

describe('org units and Viewer.scope over HTTP', () => {
  let gateway: GatewayProcess;
  let client: ReturnType<typeof personaClient>;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ AUTH_MODE: 'dev', PGLITE_DIR: 'memory://' });
    client = personaClient(gateway.url);
  });
  afterAll(async () => gateway?.stop());

  describe('orgUnits and orgUnit', () => {
    it('lists the whole tree flat, parents before children, by depth', async () => {
      const data = dataOf<{ orgUnits: UnitNode[] }>(
        await client.as('outsider').query('{ orgUnits { id name kind active inBuilderRelations parent { id } children { id } } }'),
      );
      const listed = data.orgUnits;
      expect(sorted(listed.map((unit) => unit.id))).toEqual(sorted(demoUnits.map((unit) => unit.id)));
      const depths = listed.map((unit) => unitDepth(unit.id));
      expect(depths).toEqual([...depths].sort((a, b) => a - b));
      const seen = new Set<string>();
      for (const unit of listed) {
        const expected = demoUnits.find((candidate) => candidate.id === unit.id)!;
        expect(unit).toMatchObject({ name: expected.name, kind: expected.kind, active: true, parent: expected.parentId && { id: expected.parentId } });
        if (expected.parentId !== null) expect(seen.has(expected.parentId), unit.id).toBe(true);
        seen.add(unit.id);
        expect(sorted(unit.children.map((child) => child.id))).toEqual(
          sorted(demoUnits.filter((candidate) => candidate.parentId === unit.id).map((candidate) => candidate.id)),
        );
      }
      const builderRelations = listed.filter((unit) => unit.inBuilderRelations).map((unit) => unit.id);
      expect(builderRelations.every((id) => id === 'ou-br' || id.startsWith('ou-br-'))).toBe(true);
      expect(builderRelations).toContain('ou-br-advocacy-americas');
    });

    it('reads one unit with its parent, children and members', async () => {
      const data = dataOf<{ orgUnit: UnitNode & { members: Connection } }>(
        await client.as('builder').query(`{ orgUnit(id: "ou-br-advocacy") {
          id name parent { id name } children { id }
          members(first: 100) { totalCount edges { node { id } } pageInfo { hasNextPage } }
        } }`),
      );
      expect(data.orgUnit).toMatchObject({ id: 'ou-br-advocacy', name: 'Developer Advocacy', parent: { id: 'ou-br', name: 'Builder Relations' } });
      expect(sorted(data.orgUnit.children.map((child) => child.id))).toEqual(['ou-br-advocacy-americas', 'ou-br-advocacy-emea']);
      // Members are the people of exactly this unit, not of its sub-units.
      const expected = idsWhere((person) => person.orgUnitId === 'ou-br-advocacy');
      expect(sorted(data.orgUnit.members.edges.map((edge) => edge.node.id))).toEqual(expected);
      expect(data.orgUnit.members).toMatchObject({ totalCount: expected.length, pageInfo: { hasNextPage: false } });
    });

    it('answers a missing or malformed id with null, like each other', async () => {
      const query = 'query($id: ID!) { orgUnit(id: $id) { id } }';
      const missing = await client.as('builder').query(query, { id: 'ou-nowhere' });
      expect(missing.body).toEqual({ data: { orgUnit: null } });
      for (const id of ['', 'y'.repeat(201), 'ou-\u0000br']) {
        expect((await client.as('builder').query(query, { id })).text).toBe(missing.text);
      }
    });

    it('pages through a unit’s members to the end, inactive members included', async () => {
      const unit = 'ou-br-advocacy-americas';
      const members = async (first: number, after: string | null) =>
        dataOf<{ orgUnit: { members: Connection } }>(await client.as('outsider').query(MEMBERS, { id: unit, first, after })).orgUnit.members;
      const whole = await members(100, null);
      const paged = await collectPages((after) => members(3, after));
      const ids = paged.nodes.map((node) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(whole.edges.map((edge) => edge.node.id));
      expect(sorted(ids)).toEqual(idsWhere((person) => person.orgUnitId === unit));
      expect(ids).toContain('p-charles');
      expect(new Set(paged.totalCounts)).toEqual(new Set([ids.length]));
    });

    it('pages members of every unit of the list at once, each with its own count', async () => {
      const data = dataOf<{ orgUnits: { id: string; members: Connection }[] }>(
        await client.as('outsider').query('{ orgUnits { id members(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage } } } }'),
      );
      for (const unit of data.orgUnits) {
        const expected = idsWhere((person) => person.orgUnitId === unit.id);
        expect(unit.members.totalCount, unit.id).toBe(expected.length);
        expect(unit.members.edges.length, unit.id).toBe(Math.min(2, expected.length));
        expect(unit.members.pageInfo.hasNextPage, unit.id).toBe(expected.length > 2);
        for (const edge of unit.members.edges) expect(expected).toContain(edge.node.id);
      }
    });

    it('refuses members(first: 101)', async () => {
      expect(codes(await client.as('builder').query(MEMBERS, { id: 'ou-br', first: 101 }))).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('Viewer.scope', () => {
    const scope = async (persona: string, first: number, after: string | null) =>
      dataOf<{ me: { scope: Connection } }>(await client.as(persona).query(SCOPE, { first, after })).me.scope;

    it.each([
      ['manager', 'p-dorothy', 2],
      ['director', 'p-katherine', 4],
      ['vp', 'p-ada', 10],
    ])('is everyone below the %s, paged to the end, nearest first', async (persona, personId, size) => {
      const expected = belowOf(personId);
      expect(expected.size).toBeGreaterThan(size);
      const paged = await collectPages((after) => scope(persona, size, after));
      const ids = paged.nodes.map((node) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(sorted(ids)).toEqual(sorted(expected.keys()));
      const depths = ids.map((id) => expected.get(id) ?? -1);
      expect(depths).toEqual([...depths].sort((a, b) => a - b));
      expect(new Set(paged.totalCounts)).toEqual(new Set([expected.size]));
      const whole = await scope(persona, 100, null);
      expect(whole.edges.map((edge) => edge.node.id)).toEqual(ids);
      // Everyone in your line is someone whose email you may read.
      expect(paged.nodes.every((node) => node.email === demoPerson(node.id).email)).toBe(true);
    });

    it('holds the inactive people of the line too', async () => {
      const whole = await scope('manager', 100, null);
      expect(whole.edges.map((edge) => edge.node.id)).toContain('p-charles');
    });

    it('is empty for someone with no reports, a service and a person who has left', async () => {
      for (const persona of ['builder', 'dashboard', 'inactive']) {
        expect(await scope(persona, 20, null), persona).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
      }
    });

    it('refuses first: 101 and a forged cursor', async () => {
      expect(codes(await client.as('manager').query(SCOPE, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
      const peopleCursor = dataOf<{ people: Connection }>(await client.as('manager').query('{ people(first: 1) { edges { cursor } } }'));
      const forged = await client.as('manager').query(SCOPE, { first: 5, after: peopleCursor.people.edges[0]?.cursor });
      expect(codes(forged)).toEqual(['BAD_USER_INPUT']);
    });
  });
});
