/** Reads the whole org in force, in a stable order, to compare before and after an import. */
import { asc } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { auditEvents, orgImports, orgUnitClosure, orgUnits, people, reportingLines } from '../../db/schema.ts';

export async function orgState(db: Database) {
  return {
    orgUnits: await db.select().from(orgUnits).orderBy(asc(orgUnits.id)),
    closure: await db.select().from(orgUnitClosure).orderBy(asc(orgUnitClosure.ancestorId), asc(orgUnitClosure.descendantId)),
    people: await db.select().from(people).orderBy(asc(people.id)),
    reportingLines: await db.select().from(reportingLines).orderBy(asc(reportingLines.managerId), asc(reportingLines.personId)),
    imports: await db.select().from(orgImports).orderBy(asc(orgImports.sequence)),
    auditEvents: await db.select().from(auditEvents).orderBy(asc(auditEvents.id)),
  };
}

/** Reporting lines as "manager>person@depth" strings, sorted. */
export async function reportingLinePairs(db: Database): Promise<string[]> {
  const rows = await db.select().from(reportingLines);
  return rows.map((row) => `${row.managerId}>${row.personId}@${row.depth}`).sort();
}
