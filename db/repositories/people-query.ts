/**
 * The shape of a people query clients ask for — filters and the directory order — as SQL. None
 * of this is authorization: the policy Scope is always added alongside (db/repositories/people.ts).
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { orgUnitClosure, people } from '../schema.ts';

/** Ids of the org source are 1–200 characters (org/snapshot.ts); anything else names nothing. */
export function isOrgId(id: string): boolean {
  return id.length >= 1 && id.length <= 200 && !id.includes('\u0000');
}

export interface PersonFilterValues {
  readonly orgUnitId?: string | null;
  readonly includeSubUnits?: boolean | null;
  readonly managerId?: string | null;
  readonly active?: boolean | null;
  readonly search?: string | null;
}

/** LIKE treats %, _ and \ specially: a search for "50%" means those characters. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** A condition on an id argument; a malformed id matches nothing (it is a missing one). */
function idCondition(id: string, condition: (id: string) => SQL): SQL {
  return isOrgId(id) ? condition(id) : sql`false`;
}

export function personFilterSql(filter: PersonFilterValues | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const { orgUnitId, managerId, search } = filter;
  return and(
    typeof orgUnitId === 'string'
      ? idCondition(orgUnitId, (id) =>
          filter.includeSubUnits
            ? sql`${people.orgUnitId} in (select ${orgUnitClosure.descendantId} from ${orgUnitClosure} where ${orgUnitClosure.ancestorId} = ${id})`
            : eq(people.orgUnitId, id),
        )
      : undefined,
    typeof managerId === 'string' ? idCondition(managerId, (id) => eq(people.managerId, id)) : undefined,
    typeof filter.active === 'boolean' ? eq(people.active, filter.active) : undefined,
    // Postgres text cannot hold NUL, so no name contains one (and the driver would refuse it).
    search ? (search.includes('\u0000') ? sql`false` : sql`${people.displayName} ilike ${containsPattern(search)}`) : undefined,
  );
}

/** A position in the directory order (displayName, then id), as cursors carry it. */
export interface PersonPosition {
  readonly displayName: string;
  readonly id: string;
}

export const DIRECTORY_ORDER: SQL[] = [asc(people.displayName), asc(people.id)];

/** Rows strictly after a position in the directory order: one row comparison. */
export function afterPersonSql(position: PersonPosition | undefined): SQL | undefined {
  return position ? sql`(${people.displayName}, ${people.id}) > (${position.displayName}, ${position.id})` : undefined;
}
