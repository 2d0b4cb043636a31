/**
 * The SQL meaning of every field the rules use, per subject. Virtual fields become indexed
 * subqueries on the closure table: "R's author is in V's reporting line" is a primary-key
 * lookup on reporting_lines (manager_id = V, person_id = author), never an IN list.
 */
import { sql } from 'drizzle-orm';
import { auditEvents, orgUnits, people, reportingLines, reports } from '../../db/schema.ts';
import { booleanVia, column, containsVia, enumColumn, type SqlFieldMap } from './fields.ts';

/**
 * "R's author is in V's line". PostgreSQL may plan the EXISTS as a hashed subplan: the whole
 * line read into a hash table once, then one lookup per report, which wins when every report is
 * tested (counts, aggregates over rows). It decides from the rows the scan would test without
 * its LIMIT, so a page of 50 also hashed a VP's 30,001-person line first (25 of the page's
 * 27 ms on the large bench data). With `probe`, a clause naming the report outside the
 * hashable equality keeps it a primary-key probe per report tested (PostgreSQL turns an EXISTS
 * into a hashed IN only when every clause naming the outer row is such an equality): 2.4 ms.
 */
function authorInLine(probe: boolean) {
  return containsVia(
    (managerId) =>
      sql`exists (select 1 from ${reportingLines} where ${reportingLines.managerId} = ${managerId} and ${reportingLines.personId} = ${reports.authorId}${
        probe ? sql` and ${reports.authorId} is not null` : sql``
      })`,
  );
}

/** For statements that test every report they could match (counts, aggregates over rows). */
export const reportFields: SqlFieldMap = {
  id: column(reports.id),
  authorId: column(reports.authorId),
  orgUnitId: column(reports.orgUnitId),
  status: enumColumn(reports.status),
  sensitivity: enumColumn(reports.sensitivity),
  authorManagerIds: authorInLine(false),
  authorHasManager: booleanVia(
    sql`coalesce((select author.manager_id is not null from ${people} author where author.id = ${reports.authorId}), false)`,
  ),
};

/** For statements that test a few reports (a page under LIMIT, one report by id). */
export const reportProbeFields: SqlFieldMap = { ...reportFields, authorManagerIds: authorInLine(true) };

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
