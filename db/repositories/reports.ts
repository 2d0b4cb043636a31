/**
 * Reports in the database. Every read takes the Scope policy computed for the caller, so a
 * hidden report is indistinguishable from a missing one and lists are filtered in SQL.
 */
import { and, desc, eq, getTableColumns, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { reports, type NewReportRow, type ReportRow } from '../schema.ts';
import { scopeCondition, type Scope } from '../scope.ts';

/** A report row with the virtual fields policy evaluates (see policies/subjects.ts). */
export interface ReportRecord extends ReportRow {
  readonly authorManagerIds: string[];
  readonly authorHasManager: boolean;
}

const recordColumns = {
  ...getTableColumns(reports),
  authorManagerIds: sql<string[]>`array(select rl.manager_id from reporting_lines rl where rl.person_id = ${reports.authorId})`,
  authorHasManager: sql<boolean>`exists (select 1 from people author where author.id = ${reports.authorId} and author.manager_id is not null)`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A report by id within the scope; a malformed id is a missing one. */
export async function findReport(db: Executor, id: string, scope: Scope): Promise<ReportRecord | undefined> {
  if (scope.kind === 'none' || !UUID.test(id)) return undefined;
  const [row] = await db
    .select(recordColumns)
    .from(reports)
    .where(and(eq(reports.id, id), scopeCondition(scope)))
    .limit(1);
  return row;
}

/** The position of a row in the default order (newest first), for cursors. */
export interface ReportPosition {
  readonly createdAt: Date;
  readonly id: string;
}

export interface ReportPage {
  readonly rows: ReportRecord[];
  readonly hasNextPage: boolean;
}

export async function listReports(
  db: Executor,
  scope: Scope,
  options: { first: number; after?: ReportPosition; filter?: SQL },
): Promise<ReportPage> {
  if (scope.kind === 'none') return { rows: [], hasNextPage: false };
  const after = options.after
    ? or(
        lt(reports.createdAt, options.after.createdAt),
        and(eq(reports.createdAt, options.after.createdAt), lt(reports.id, options.after.id)),
      )
    : undefined;
  const rows = await db
    .select(recordColumns)
    .from(reports)
    .where(and(scopeCondition(scope), options.filter, after))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(options.first + 1);
  return { rows: rows.slice(0, options.first), hasNextPage: rows.length > options.first };
}

export async function countReports(db: Executor, scope: Scope, filter?: SQL): Promise<number> {
  if (scope.kind === 'none') return 0;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(reports)
    .where(and(scopeCondition(scope), filter));
  return row?.count ?? 0;
}

export async function insertReport(db: Executor, values: NewReportRow): Promise<ReportRecord> {
  const [inserted] = await db.insert(reports).values(values).returning({ id: reports.id });
  const [row] = await db.select(recordColumns).from(reports).where(eq(reports.id, inserted!.id));
  return row!;
}
