/**
 * The SQL meaning of every field the rules use, per subject. Virtual fields become indexed
 * subqueries on the closure table: "R's author is in V's reporting line" is a primary-key
 * lookup on reporting_lines (manager_id = V, person_id = author), never an IN list.
 */
import { sql } from 'drizzle-orm';
import { auditEvents, orgUnits, people, reportingLines, reports } from '../../db/schema.ts';
import { booleanVia, column, containsVia, type SqlFieldMap } from './fields.ts';

export const reportFields: SqlFieldMap = {
  id: column(reports.id),
  authorId: column(reports.authorId),
  orgUnitId: column(reports.orgUnitId),
  status: column(reports.status),
  sensitivity: column(reports.sensitivity),
  authorManagerIds: containsVia(
    (managerId) => sql`exists (select 1 from ${reportingLines} where ${reportingLines.managerId} = ${managerId} and ${reportingLines.personId} = ${reports.authorId})`,
  ),
  authorHasManager: booleanVia(
    sql`coalesce((select author.manager_id is not null from ${people} author where author.id = ${reports.authorId}), false)`,
  ),
};

export const personFields: SqlFieldMap = {
  id: column(people.id),
  orgUnitId: column(people.orgUnitId),
  managerId: column(people.managerId),
  active: column(people.active),
  managerIds: containsVia(
    (managerId) => sql`exists (select 1 from ${reportingLines} where ${reportingLines.managerId} = ${managerId} and ${reportingLines.personId} = ${people.id})`,
  ),
};

export const orgUnitFields: SqlFieldMap = { id: column(orgUnits.id) };

export const auditEventFields: SqlFieldMap = { actorId: column(auditEvents.actorId) };
