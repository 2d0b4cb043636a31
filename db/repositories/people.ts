/** People and org units of the org source, read within the caller's scope. */
import { and, asc, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { orgUnits, people, type OrgUnitRow, type PersonRow } from '../schema.ts';
import { scopeCondition, type Scope } from '../scope.ts';

/** A person with the virtual field policy evaluates (see policies/subjects.ts). */
export interface PersonRecord extends Omit<PersonRow, 'lastSeenSequence' | 'updatedAt'> {
  readonly managerIds: string[];
}

const { lastSeenSequence: _lastSeen, updatedAt: _updated, ...personColumns } = getTableColumns(people);
const recordColumns = {
  ...personColumns,
  managerIds: sql<string[]>`array(select rl.manager_id from reporting_lines rl where rl.person_id = ${people.id})`,
};

export async function findPeopleByIds(db: Executor, ids: readonly string[], scope: Scope): Promise<PersonRecord[]> {
  if (scope.kind === 'none' || ids.length === 0) return [];
  return db
    .select(recordColumns)
    .from(people)
    .where(and(inArray(people.id, [...ids]), scopeCondition(scope)));
}

export async function findOrgUnitsByIds(db: Executor, ids: readonly string[], scope: Scope): Promise<OrgUnitRow[]> {
  if (scope.kind === 'none' || ids.length === 0) return [];
  return db
    .select()
    .from(orgUnits)
    .where(and(inArray(orgUnits.id, [...ids]), scopeCondition(scope)))
    .orderBy(asc(orgUnits.id));
}
