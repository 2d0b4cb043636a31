/**
 * Reports in the database. Every read takes the Scope policy computed for the caller, so a
 * hidden report is indistinguishable from a missing one and lists are filtered in SQL.
 */
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { reports, type NewReportRow, type ReportRow } from '../schema.ts';
import { preparedRead } from '../prepared.ts';
import { scopeCondition, type Scope } from '../scope.ts';
import { afterSql, DEFAULT_REPORT_ORDER, orderBySql, type ReportOrderValues } from './report-query.ts';

/** A report row with the virtual fields policy evaluates (see policies/subjects.ts). */
export interface ReportRecord extends ReportRow {
  readonly authorManagerIds: string[];
  readonly authorHasManager: boolean;
}

// Qualified by hand: drizzle leaves columns unqualified in a select list, and these subqueries
// must not depend on which tables happen to have an author_id.
const recordColumns = {
  ...getTableColumns(reports),
  authorManagerIds: sql<string[]>`array(select rl.manager_id from reporting_lines rl where rl.person_id = reports.author_id)`,
  // A scalar subquery (one index lookup per row); as EXISTS the planner may hash all people.
  authorHasManager: sql<boolean>`coalesce((select author.manager_id is not null from people author where author.id = reports.author_id), false)`,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isReportId(id: string): boolean {
  return UUID.test(id);
}

/**
 * A report by id within the scope; a malformed id is a missing one. `forUpdate` locks the row
 * for the rest of the transaction (workflow transitions).
 */
export async function findReport(
  db: Executor,
  id: string,
  scope: Scope,
  options: { forUpdate?: boolean } = {},
): Promise<ReportRecord | undefined> {
  if (scope.kind === 'none' || !isReportId(id)) return undefined;
  const query = () =>
    db
      .select(recordColumns)
      .from(reports)
      .where(and(eq(reports.id, sql.placeholder('id')), scopeCondition(scope)))
      .limit(1);
  const read = options.forUpdate
    ? preparedRead(db, undefined, () => query().for('update', { of: reports }).prepare('report_for_update'))
    : preparedRead(db, { scopes: [scope], shape: 'report' }, () => query().prepare('report'));
  const [row] = await read.execute({ id });
  return row;
}

export interface ReportPage {
  readonly rows: ReportRecord[];
  readonly hasNextPage: boolean;
}

export interface ListOptions {
  readonly first: number;
  readonly filter?: SQL;
  readonly order?: ReportOrderValues;
  readonly after?: { readonly value: string; readonly id: string };
}

export async function listReports(db: Executor, scope: Scope, options: ListOptions): Promise<ReportPage> {
  if (scope.kind === 'none') return { rows: [], hasNextPage: false };
  const order = options.order ?? DEFAULT_REPORT_ORDER;
  const { filter, after } = options;
  const limit = options.first + 1;
  // A client's filter puts its own values in the text: built for this request only.
  const key = filter ? undefined : { scopes: [scope], shape: `reports:${order.field}:${order.direction}:${after ? 'after' : 'first'}:${limit}` };
  const read = preparedRead(db, key, () =>
    db
      .select(recordColumns)
      .from(reports)
      .where(and(scopeCondition(scope), filter, after ? afterSql(order, { value: sql.placeholder('afterValue'), id: sql.placeholder('afterId') }) : undefined))
      .orderBy(...orderBySql(order))
      .limit(literalLimit(limit))
      .prepare('reports'),
  );
  const rows = await read.execute({ afterValue: after?.value, afterId: after?.id });
  return { rows: rows.slice(0, options.first), hasNextPage: rows.length > options.first };
}

/**
 * The page's LIMIT written into its text, not sent as a parameter. PostgreSQL's generic plan of
 * a page (plan_cache_mode auto) cannot know a parameter's limit and assumes a tenth of the
 * table: it fetched every visible report and sorted them, 200-430 ms, where the generic plan
 * with the limit written in walks the order's index and stops, 1-2 ms (EXPLAIN ANALYZE,
 * 1,000,000 reports). Page sizes are few (MAX_PAGE_SIZE), so this is a statement per size.
 * drizzle types `.limit()` as a number and sends a number as a parameter; an SQL chunk it
 * writes as it is.
 */
function literalLimit(count: number): number {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`limit must be a whole number, got ${count}`);
  return sql.raw(String(count)) as unknown as number;
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
  return reloadReport(db, inserted!.id);
}

/** Applies a change to a report already loaded (and locked) by the caller. */
export async function updateReportRow(
  db: Executor,
  id: string,
  changes: Partial<Omit<NewReportRow, 'id' | 'authorId' | 'orgUnitId' | 'createdAt'>>,
): Promise<ReportRecord> {
  await db
    .update(reports)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(reports.id, id));
  return reloadReport(db, id);
}

async function reloadReport(db: Executor, id: string): Promise<ReportRecord> {
  const [row] = await db.select(recordColumns).from(reports).where(eq(reports.id, id));
  if (!row) throw new Error(`report ${id} vanished inside its own transaction`);
  return row;
}
