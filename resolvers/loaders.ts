/**
 * Per-request batch loaders (DataLoader): every person or org unit a response needs, and every
 * list hanging off one (direct reports, reporting chains, child units, members), is fetched in
 * one statement per kind, within the caller's scope. Created lazily, once per request.
 */
import DataLoader from 'dataloader';
import {
  countMembersOfOrgUnits,
  findChildOrgUnits,
  findDirectReports,
  findOrgUnitsByIds,
  findPeopleAndManagersByIds,
  findPeopleByIds,
  findPeopleManagersAndUnitsByIds,
  findReportingChains,
  listMembersOfOrgUnits,
  type Page,
  type PersonRecord,
} from '../db/repositories/people.ts';
import type { PersonPosition } from '../db/repositories/people-query.ts';
import type { OrgUnitRow } from '../db/schema.ts';
import { orgUnitScope, personScope } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';

/** A page of one unit's members; keys with the same page arguments are batched together. */
export interface MembersKey {
  readonly orgUnitId: string;
  readonly first: number;
  readonly after?: PersonPosition | undefined;
}

export interface Loaders {
  readonly people: DataLoader<string, PersonRecord | undefined>;
  /**
   * The same people, with their managers fetched in the same statement and left in `people`'s
   * cache, for a response that asks for the managers next.
   */
  readonly peopleAndManagers: DataLoader<string, PersonRecord | undefined>;
  /** The same, with every one's org unit fetched too and left in `orgUnits`' cache. */
  readonly peopleManagersAndUnits: DataLoader<string, PersonRecord | undefined>;
  readonly orgUnits: DataLoader<string, OrgUnitRow | undefined>;
  /** By manager id: their direct reports, in directory order. */
  readonly directReports: DataLoader<string, PersonRecord[]>;
  /** By person id: the managers above them, nearest first. */
  readonly reportingChains: DataLoader<string, PersonRecord[]>;
  /** By parent unit id: its child units, by name. */
  readonly childOrgUnits: DataLoader<string, OrgUnitRow[]>;
  readonly members: DataLoader<MembersKey, Page<PersonRecord>, string>;
  /** By org unit id: how many members it has. */
  readonly memberCounts: DataLoader<string, number>;
}

const byContext = new WeakMap<GatewayContext, Loaders>();

export function loaders(context: GatewayContext): Loaders {
  let found = byContext.get(context);
  if (!found) {
    found = createLoaders(context);
    byContext.set(context, found);
  }
  return found;
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function createLoaders({ db, ability }: GatewayContext): Loaders {
  const people: Loaders['people'] = new DataLoader(async (ids) => {
    const rows = await findPeopleByIds(db, ids, personScope(ability));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  });
  const orgUnits: Loaders['orgUnits'] = new DataLoader(async (ids) => {
    const rows = await findOrgUnitsByIds(db, ids, orgUnitScope(ability));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  });
  /** The people asked for, each manager left in `people`'s cache, found or not. */
  const primingManagers = (ids: readonly string[], rows: readonly PersonRecord[]): (PersonRecord | undefined)[] => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    const found = ids.map((id) => byId.get(id));
    // A manager the statement did not return is hidden or missing: `people` would say so too.
    for (const person of found) if (person?.managerId) people.prime(person.managerId, byId.get(person.managerId));
    for (const [id, person] of byId) people.prime(id, person);
    return found;
  };
  return {
    people,
    orgUnits,
    peopleAndManagers: new DataLoader(async (ids) => primingManagers(ids, await findPeopleAndManagersByIds(db, ids, personScope(ability)))),
    peopleManagersAndUnits: new DataLoader(async (ids) => {
      const rows = await findPeopleManagersAndUnitsByIds(db, ids, personScope(ability), orgUnitScope(ability));
      // A unit the join left null is hidden or missing: `orgUnits` would say so too.
      for (const { person, unit } of rows) if (person.orgUnitId) orgUnits.prime(person.orgUnitId, unit ?? undefined);
      return primingManagers(ids, rows.map((row) => row.person));
    }),
    directReports: new DataLoader(async (managerIds) => {
      const groups = groupBy(await findDirectReports(db, managerIds, personScope(ability)), (row) => row.managerId);
      return managerIds.map((id) => groups.get(id) ?? []);
    }),
    reportingChains: new DataLoader(async (personIds) => {
      const groups = groupBy(await findReportingChains(db, personIds, personScope(ability)), (link) => link.personId);
      return personIds.map((id) => (groups.get(id) ?? []).map((link) => link.manager));
    }),
    childOrgUnits: new DataLoader(async (parentIds) => {
      const groups = groupBy(await findChildOrgUnits(db, parentIds, orgUnitScope(ability)), (row) => row.parentId);
      return parentIds.map((id) => groups.get(id) ?? []);
    }),
    members: new DataLoader(
      async (keys) => {
        const pages = new Map<string, Page<PersonRecord>>();
        // One statement per distinct page (first, after); a list of units usually asks one.
        for (const group of groupBy(keys, pageArgumentsOf).values()) {
          const [{ first, after }] = group as [MembersKey, ...MembersKey[]];
          const found = await listMembersOfOrgUnits(db, personScope(ability), group.map((key) => key.orgUnitId), { first, after });
          for (const [orgUnitId, page] of found) pages.set(membersKeyOf({ orgUnitId, first, after }), page);
        }
        return keys.map((key) => pages.get(membersKeyOf(key)) ?? { rows: [], hasNextPage: false });
      },
      { cacheKeyFn: membersKeyOf },
    ),
    memberCounts: new DataLoader(async (orgUnitIds) => {
      const counts = await countMembersOfOrgUnits(db, personScope(ability), orgUnitIds);
      return orgUnitIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}

function pageArgumentsOf({ first, after }: MembersKey): string {
  return JSON.stringify([first, after?.displayName ?? null, after?.id ?? null]);
}

function membersKeyOf(key: MembersKey): string {
  return JSON.stringify([pageArgumentsOf(key), key.orgUnitId]);
}
