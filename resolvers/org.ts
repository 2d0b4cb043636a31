/**
 * The org directory (DESIGN §4, §5): people and org units every member may read, with their
 * links (manager, direct reports, reporting chain, unit, parent, children, members). Thin:
 * arguments → policy scope → repository; lists hanging off an object go through the per-request
 * loaders, so a page of people with their links costs one statement per kind of link.
 */
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { countPeople, listOrgUnits, listPeople, type PersonRecord } from '../db/repositories/people.ts';
import type { OrgUnitRow } from '../db/schema.ts';
import { orgUnitScope, personScope } from '../policies/access.ts';
import type { GatewayContext } from '../schema/context.ts';
import type { ConnectionShape } from '../schema/types/connection.ts';
import { OrgUnit, Person, PersonConnection, PersonFilter } from '../schema/types/org.ts';
import { loaders } from './loaders.ts';
import { pageSize } from './paging.ts';
import { decodeDirectoryCursor, directoryCursorOf, maskedPerson, personConnection, type PersonView } from './people.ts';

/**
 * A Person object as resolvers receive it: a masked record, or the viewer's own record from
 * `me`, which carries no org links (they are loaded, within scope, when asked for).
 */
type PersonRoot = Partial<PersonView> & { readonly id: PersonView['id'] };

/**
 * A person's org link (manager or unit). A link the caller may not read is no link; the viewer's
 * own record from `me` carries none, so it is loaded (within scope, masked) when asked for.
 */
async function linkOf(person: PersonRoot, field: 'managerId' | 'orgUnitId', context: GatewayContext): Promise<string | null> {
  let value = person[field];
  if (value === undefined && typeof person.id === 'string') {
    const record = await loaders(context).people.load(person.id);
    value = record ? maskedPerson(context, record)[field] : null;
  }
  return typeof value === 'string' ? value : null;
}

function masked(context: GatewayContext, records: readonly PersonRecord[]): PersonView[] {
  return records.map((record) => maskedPerson(context, record));
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'A person of the org source; null when missing, hidden from you or malformed.' })
  async person(@Arg('id', () => ID, { description: 'Org source id.' }) id: string, @Ctx() context: GatewayContext): Promise<PersonView | null> {
    const record = await loaders(context).people.load(id);
    return record ? maskedPerson(context, record) : null;
  }

  @Query(() => PersonConnection, { description: 'The people directory, by display name: active, inactive and departed people alike.' })
  async people(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Arg('filter', () => PersonFilter, { nullable: true, description: 'Conditions the people must meet.' }) filter: PersonFilter | null,
    @Ctx() context: GatewayContext,
  ): Promise<ConnectionShape<PersonView>> {
    const size = pageSize(first);
    const position = decodeDirectoryCursor(after);
    const scope = personScope(context.ability);
    const [page, totalCount] = await Promise.all([
      listPeople(context.db, scope, { first: size, after: position, filter }),
      countPeople(context.db, scope, filter),
    ]);
    return personConnection(context, page, totalCount, directoryCursorOf);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Their manager in the org source; null at the top.' })
  async manager(@Root() person: PersonRoot, @Ctx() context: GatewayContext): Promise<PersonView | null> {
    const managerId = await linkOf(person, 'managerId', context);
    if (managerId === null) return null;
    const record = await loaders(context).people.load(managerId);
    return record ? maskedPerson(context, record) : null;
  }

  @FieldResolver(() => [Person], { description: 'The people whose manager they are, by display name.' })
  async directReports(@Root() person: PersonRoot, @Ctx() context: GatewayContext): Promise<PersonView[]> {
    if (typeof person.id !== 'string') return [];
    return masked(context, await loaders(context).directReports.load(person.id));
  }

  @FieldResolver(() => [Person], {
    description: 'Their managers from the direct one up to the top of the org, in order (the reporting line of the newest snapshot).',
  })
  async reportingChain(@Root() person: PersonRoot, @Ctx() context: GatewayContext): Promise<PersonView[]> {
    if (typeof person.id !== 'string') return [];
    return masked(context, await loaders(context).reportingChains.load(person.id));
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The org unit they belong to.' })
  async orgUnit(@Root() person: PersonRoot, @Ctx() context: GatewayContext): Promise<OrgUnitRow | null> {
    const orgUnitId = await linkOf(person, 'orgUnitId', context);
    if (orgUnitId === null) return null;
    return (await loaders(context).orgUnits.load(orgUnitId)) ?? null;
  }
}

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Query(() => OrgUnit, { nullable: true, description: 'An org unit; null when missing, hidden from you or malformed.' })
  async orgUnit(@Arg('id', () => ID, { description: 'Org source id.' }) id: string, @Ctx() context: GatewayContext): Promise<OrgUnitRow | null> {
    return (await loaders(context).orgUnits.load(id)) ?? null;
  }

  @Query(() => [OrgUnit], {
    description: 'The org-unit tree as a flat list, parents before children (by depth, then name); rebuild it with `parent`.',
  })
  orgUnits(@Ctx() context: GatewayContext): Promise<OrgUnitRow[]> {
    return listOrgUnits(context.db, orgUnitScope(context.ability));
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The unit it belongs to; null at the root.' })
  async parent(@Root() unit: OrgUnitRow, @Ctx() context: GatewayContext): Promise<OrgUnitRow | null> {
    if (unit.parentId === null) return null;
    return (await loaders(context).orgUnits.load(unit.parentId)) ?? null;
  }

  @FieldResolver(() => [OrgUnit], { description: 'The units directly inside it, by name.' })
  children(@Root() unit: OrgUnitRow, @Ctx() context: GatewayContext): Promise<OrgUnitRow[]> {
    return loaders(context).childOrgUnits.load(unit.id);
  }

  @FieldResolver(() => PersonConnection, { description: 'The people whose org unit is exactly this one (not its sub-units), by display name.' })
  async members(
    @Root() unit: OrgUnitRow,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Ctx() context: GatewayContext,
  ): Promise<ConnectionShape<PersonView>> {
    const size = pageSize(first);
    const position = decodeDirectoryCursor(after);
    const [page, totalCount] = await Promise.all([
      loaders(context).members.load({ orgUnitId: unit.id, first: size, after: position }),
      loaders(context).memberCounts.load(unit.id),
    ]);
    return personConnection(context, page, totalCount, directoryCursorOf);
  }
}
