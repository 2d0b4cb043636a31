/**
 * People and org units of the org source, read within the caller's scope. Every function takes
 * the Scope policy computed for the caller and puts it in the statement; a `none` scope runs no
 * query. Ids that cannot be org ids (see people-query.ts) name nothing.
 */
import { and, asc, count, eq, getTableColumns, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { orgUnitClosure, orgUnits, people, reportingLines, type OrgUnitRow, type PersonRow } from '../schema.ts';
import { preparedRead } from '../prepared.ts';
import { scopeCondition, type Scope } from '../scope.ts';
import { afterPersonSql, DIRECTORY_ORDER, isOrgId, personFilterSql, type PersonFilterValues, type PersonPosition } from './people-query.ts';

/** A person with the virtual field policy evaluates (see policies/subjects.ts). */
export interface PersonRecord extends Omit<PersonRow, 'lastSeenSequence' | 'updatedAt'> {
  readonly managerIds: string[];
}

const { lastSeenSequence: _lastSeen, updatedAt: _updated, ...personColumns } = getTableColumns(people);
const managerIdsSql = sql<string[]>`array(select rl.manager_id from reporting_lines rl where rl.person_id = ${people.id})`;
const recordColumns = { ...personColumns, managerIds: managerIdsSql };

export interface Page<T> {
  readonly rows: T[];
  readonly hasNextPage: boolean;
}

const EMPTY_PAGE: Page<never> = Object.freeze({ rows: [], hasNextPage: false });

function pageOf<T>(rows: T[], first: number): Page<T> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

function wellFormed(ids: readonly string[]): string[] {
  return [...new Set(ids)].filter(isOrgId);
}

/** The ids a by-id read is run with (`execute({ ids })`). */
const IDS = sql.placeholder('ids');

/**
 * `column = any($ids)`: one statement for any number of ids, where an IN list is a statement
 * (and a server-side prepared statement) per count; PostgreSQL probes the index either way.
 */
function anyId(column: AnyPgColumn): SQL {
  return sql`${column} = any(${IDS}::text[])`;
}

export async function findPeopleByIds(db: Executor, ids: readonly string[], scope: Scope): Promise<PersonRecord[]> {
  const valid = wellFormed(ids);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope], shape: 'people' }, () =>
    db.select(recordColumns).from(people).where(and(anyId(people.id), scopeCondition(scope))).prepare('people'),
  );
  return read.execute({ ids: valid });
}

/**
 * People by id and, in the same statement, their managers: for a response that walks from a
 * person to their manager (reports → author → manager), one round trip instead of two. Every
 * row, manager or not, meets the scope on its own.
 */
export async function findPeopleAndManagersByIds(db: Executor, ids: readonly string[], scope: Scope): Promise<PersonRecord[]> {
  const valid = wellFormed(ids);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope], shape: 'people+managers' }, () =>
    db.select(recordColumns).from(people).where(and(themAndTheirManagers(), scopeCondition(scope))).prepare('people_managers'),
  );
  return read.execute({ ids: valid });
}

/** A person and their org unit: null when they have none, or it is hidden from the caller. */
export interface PersonWithUnit {
  readonly person: PersonRecord;
  readonly unit: OrgUnitRow | null;
}

/**
 * The same people and managers with each one's org unit joined, for a response that goes on to
 * the manager's unit (reports → author → manager → orgUnit). The unit meets `unitScope` in the
 * join, so a hidden unit is a null, as `findOrgUnitsByIds` would answer.
 */
export async function findPeopleManagersAndUnitsByIds(db: Executor, ids: readonly string[], scope: Scope, unitScope: Scope): Promise<PersonWithUnit[]> {
  const valid = wellFormed(ids);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope, unitScope], shape: 'people+managers+units' }, () =>
    db
      .select({ person: recordColumns, unit: orgUnits })
      .from(people)
      .leftJoin(orgUnits, and(eq(orgUnits.id, people.orgUnitId), scopeCondition(unitScope)))
      .where(and(themAndTheirManagers(), scopeCondition(scope)))
      .prepare('people_managers_units'),
  );
  return read.execute({ ids: valid });
}

/**
 * One list of ids, each person's and their manager's: an OR of two IN lists would make
 * PostgreSQL scan every person (1.6 s per page at 50,000 people); this list is a semi-join of
 * primary-key probes.
 */
function themAndTheirManagers(): SQL {
  return sql`${people.id} in (select unnest(array[managed.id, managed.manager_id]) from ${people} managed where managed.id = any(${IDS}::text[]))`;
}

export interface PeopleQuery {
  readonly first: number;
  readonly after?: PersonPosition | undefined;
  readonly filter?: PersonFilterValues | null | undefined;
}

/** A page of the directory: people in the scope matching the filter, by display name then id. */
export async function listPeople(db: Executor, scope: Scope, query: PeopleQuery): Promise<Page<PersonRecord>> {
  if (scope.kind === 'none') return EMPTY_PAGE;
  const rows = await db
    .select(recordColumns)
    .from(people)
    .where(and(scopeCondition(scope), personFilterSql(query.filter), afterPersonSql(query.after)))
    .orderBy(...DIRECTORY_ORDER)
    .limit(query.first + 1);
  return pageOf(rows, query.first);
}

export async function countPeople(db: Executor, scope: Scope, filter?: PersonFilterValues | null): Promise<number> {
  if (scope.kind === 'none') return 0;
  const [row] = await db
    .select({ count: count() })
    .from(people)
    .where(and(scopeCondition(scope), personFilterSql(filter)));
  return row?.count ?? 0;
}

/** The direct reports (manager link as given) of several managers at once, in directory order. */
export async function findDirectReports(db: Executor, managerIds: readonly string[], scope: Scope): Promise<PersonRecord[]> {
  const valid = wellFormed(managerIds);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope], shape: 'direct reports' }, () =>
    db
      .select(recordColumns)
      .from(people)
      .where(and(anyId(people.managerId), scopeCondition(scope)))
      .orderBy(...DIRECTORY_ORDER)
      .prepare('direct_reports'),
  );
  return read.execute({ ids: valid });
}

/** A manager above a person, from the reporting-line closure: depth 1 is the direct manager. */
export interface ChainLink {
  readonly personId: string;
  readonly depth: number;
  readonly manager: PersonRecord;
}

/** The managers above several people at once, each chain nearest first. */
export async function findReportingChains(db: Executor, personIds: readonly string[], scope: Scope): Promise<ChainLink[]> {
  const valid = wellFormed(personIds);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope], shape: 'reporting chains' }, () =>
    db
      .select({ manager: recordColumns, personId: reportingLines.personId, depth: reportingLines.depth })
      .from(reportingLines)
      .innerJoin(people, eq(people.id, reportingLines.managerId))
      .where(and(anyId(reportingLines.personId), scopeCondition(scope)))
      .orderBy(asc(reportingLines.personId), asc(reportingLines.depth))
      .prepare('reporting_chains'),
  );
  return read.execute({ ids: valid });
}

/** A position in a reporting line's order (depth, then the directory order). */
export interface LinePosition extends PersonPosition {
  readonly depth: number;
}

export interface LineMember extends PersonRecord {
  readonly depth: number;
}

/**
 * The people below a manager, any depth, within the scope: the reporting line is a filter of
 * the query here (whose line), the scope is the authorization.
 */
export async function listReportingLine(
  db: Executor,
  scope: Scope,
  managerId: string,
  query: { readonly first: number; readonly after?: LinePosition | undefined },
): Promise<Page<LineMember>> {
  if (scope.kind === 'none' || !isOrgId(managerId)) return EMPTY_PAGE;
  const after = query.after
    ? sql`(${reportingLines.depth}, ${people.displayName}, ${people.id}) > (${query.after.depth}, ${query.after.displayName}, ${query.after.id})`
    : undefined;
  const rows = await db
    .select({ ...recordColumns, depth: reportingLines.depth })
    .from(reportingLines)
    .innerJoin(people, eq(people.id, reportingLines.personId))
    .where(and(eq(reportingLines.managerId, managerId), scopeCondition(scope), after))
    .orderBy(asc(reportingLines.depth), ...DIRECTORY_ORDER)
    .limit(query.first + 1);
  return pageOf(rows, query.first);
}

export async function countReportingLine(db: Executor, scope: Scope, managerId: string): Promise<number> {
  if (scope.kind === 'none' || !isOrgId(managerId)) return 0;
  const [row] = await db
    .select({ count: count() })
    .from(reportingLines)
    .innerJoin(people, eq(people.id, reportingLines.personId))
    .where(and(eq(reportingLines.managerId, managerId), scopeCondition(scope)));
  return row?.count ?? 0;
}

/**
 * The first page of members (people whose unit is exactly that one) of several org units at
 * once: one statement, ranked per unit in directory order.
 */
export async function listMembersOfOrgUnits(
  db: Executor,
  scope: Scope,
  orgUnitIds: readonly string[],
  query: { readonly first: number; readonly after?: PersonPosition | undefined },
): Promise<Map<string, Page<PersonRecord>>> {
  const valid = wellFormed(orgUnitIds);
  const pages = new Map<string, Page<PersonRecord>>(valid.map((id) => [id, EMPTY_PAGE]));
  if (scope.kind === 'none' || valid.length === 0) return pages;
  const ranked = db
    .select({
      ...personColumns,
      managerIds: managerIdsSql.as('manager_ids'),
      position: sql<number>`(row_number() over (partition by ${people.orgUnitId} order by ${people.displayName}, ${people.id}))::int`.as('position'),
    })
    .from(people)
    .where(and(inArray(people.orgUnitId, valid), scopeCondition(scope), afterPersonSql(query.after)))
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.position, query.first + 1))
    .orderBy(asc(ranked.orgUnitId), asc(ranked.position));
  const grouped = new Map<string, PersonRecord[]>();
  for (const { position: _position, ...person } of rows) {
    const members = grouped.get(person.orgUnitId) ?? [];
    members.push(person);
    grouped.set(person.orgUnitId, members);
  }
  for (const [id, members] of grouped) pages.set(id, pageOf(members, query.first));
  return pages;
}

export async function countMembersOfOrgUnits(db: Executor, scope: Scope, orgUnitIds: readonly string[]): Promise<Map<string, number>> {
  const valid = wellFormed(orgUnitIds);
  const counts = new Map<string, number>(valid.map((id) => [id, 0]));
  if (scope.kind === 'none' || valid.length === 0) return counts;
  const rows = await db
    .select({ orgUnitId: people.orgUnitId, count: count() })
    .from(people)
    .where(and(inArray(people.orgUnitId, valid), scopeCondition(scope)))
    .groupBy(people.orgUnitId);
  for (const row of rows) counts.set(row.orgUnitId, row.count);
  return counts;
}

export async function findOrgUnitsByIds(db: Executor, ids: readonly string[], scope: Scope): Promise<OrgUnitRow[]> {
  const valid = wellFormed(ids);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope], shape: 'org units' }, () =>
    db.select().from(orgUnits).where(and(anyId(orgUnits.id), scopeCondition(scope))).orderBy(asc(orgUnits.id)).prepare('org_units'),
  );
  return read.execute({ ids: valid });
}

/** How far below the root a unit is (the root is 0), from the org-unit closure. */
const unitDepth: SQL<number> = sql<number>`(select max(${orgUnitClosure.depth}) from ${orgUnitClosure} where ${orgUnitClosure.descendantId} = ${orgUnits.id})`;

/** The org-unit tree as a flat list, parents before children: by depth, then name, then id. */
export async function listOrgUnits(db: Executor, scope: Scope): Promise<OrgUnitRow[]> {
  if (scope.kind === 'none') return [];
  return db
    .select()
    .from(orgUnits)
    .where(scopeCondition(scope))
    .orderBy(asc(unitDepth), asc(orgUnits.name), asc(orgUnits.id));
}

/** The child units of several units at once, by name then id. */
export async function findChildOrgUnits(db: Executor, parentIds: readonly string[], scope: Scope): Promise<OrgUnitRow[]> {
  const valid = wellFormed(parentIds);
  if (scope.kind === 'none' || valid.length === 0) return [];
  const read = preparedRead(db, { scopes: [scope], shape: 'child org units' }, () =>
    db
      .select()
      .from(orgUnits)
      .where(and(anyId(orgUnits.parentId), scopeCondition(scope)))
      .orderBy(asc(orgUnits.name), asc(orgUnits.id))
      .prepare('child_org_units'),
  );
  return read.execute({ ids: valid });
}
