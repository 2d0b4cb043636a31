/**
 * Aggregates over the reports a caller may count: one GROUP BY under the policy, and a
 * zero-filled time series. Dimension labels (unit names, author names) come from the same
 * statement. Grouped counts read the report counters (report_unit_counts, report_unit_week_counts,
 * report_line_counts) when the dimensions, filters and rules allow, and report rows otherwise; both give the same
 * numbers (tests/property/report-counters.test.ts holds them equal on random orgs and writes).
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { plannedPerExecution, prepareStatement, preparedRead } from '../prepared.ts';
import { rows } from '../rows.ts';
import type { ReportRow } from '../schema.ts';
import { scopeCondition, type CountAccess, type Scope } from '../scope.ts';
import { reportFilterSql, type ReportFilterValues } from './report-query.ts';

export const DIMENSIONS = ['STATUS', 'SENSITIVITY', 'ORG_UNIT', 'AUTHOR', 'WEEK'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface BucketRow {
  readonly status: ReportRow['status'] | null;
  readonly sensitivity: ReportRow['sensitivity'] | null;
  readonly orgUnitId: string | null;
  readonly orgUnitName: string | null;
  readonly authorId: string | null;
  readonly authorName: string | null;
  readonly week: Date | null;
  readonly count: number;
}

const WEEK = sql`date_trunc('week', reports.created_at at time zone 'UTC') at time zone 'UTC'`;

/** Per dimension: the selected columns and the GROUP BY expressions. */
const DIMENSION_SQL: Record<Dimension, { select: SQL; group: SQL[] }> = {
  STATUS: { select: sql`reports.status::text as status`, group: [sql`reports.status`] },
  SENSITIVITY: { select: sql`reports.sensitivity::text as sensitivity`, group: [sql`reports.sensitivity`] },
  ORG_UNIT: { select: sql`reports.org_unit_id as "orgUnitId", u.name as "orgUnitName"`, group: [sql`reports.org_unit_id`, sql`u.name`] },
  AUTHOR: { select: sql`reports.author_id as "authorId", a.display_name as "authorName"`, group: [sql`reports.author_id`, sql`a.display_name`] },
  WEEK: { select: sql`${WEEK} as week`, group: [WEEK] },
};

/** Dimensions and filters the counters hold; anything else counts report rows. */
const CELL_DIMENSIONS: ReadonlySet<Dimension> = new Set(['STATUS', 'SENSITIVITY', 'ORG_UNIT', 'WEEK']);
const CELL_FILTERS: ReadonlySet<string> = new Set(['status', 'sensitivity', 'orgUnitId', 'includeSubUnits']);

/** No unit in the answer or the question: the (status, sensitivity) totals can stand for every unit. */
function unitFree(dimensions: readonly Dimension[], filter: ReportFilterValues | null | undefined): boolean {
  return !dimensions.includes('ORG_UNIT') && !dimensions.includes('WEEK') && !filter?.orgUnitId;
}

function countersCanAnswer(dimensions: readonly Dimension[], filter: ReportFilterValues | null | undefined): boolean {
  const filtered = Object.entries(filter ?? {}).filter(([, value]) => value !== null && value !== undefined);
  return dimensions.every((dimension) => CELL_DIMENSIONS.has(dimension)) && filtered.every(([key]) => CELL_FILTERS.has(key));
}

/**
 * The buckets of a grouping, in dimension order. With `maxBuckets`, at most one more than that
 * is fetched: enough for the caller to tell an answer that is too large without holding it.
 */
export async function reportBuckets(
  db: Executor,
  access: CountAccess,
  dimensions: readonly Dimension[],
  filter?: ReportFilterValues | null,
  options: { readonly maxBuckets?: number } = {},
): Promise<BucketRow[]> {
  const unique = DIMENSIONS.filter((dimension) => dimensions.includes(dimension));
  const counted = access.cells && countersCanAnswer(unique, filter) ? access.cells : undefined;
  const byWeek = unique.includes('WEEK');
  const source = !counted
    ? matchingReports(access.rows, filter)
    : counted.byUnit && unitFree(unique, filter)
      ? countedTotals(counted, counted.byUnit, filter)
      : countedCells(counted, filter, byWeek);
  if (!source) return [];
  // These read report rows (every visible one, or by week the line's) in proportion to the
  // viewer's reach: planned with the viewer's values every time (db/prepared.ts).
  const readsReportRows = !counted || byWeek;
  const selects = unique.map((dimension) => DIMENSION_SQL[dimension].select);
  const groups = unique.flatMap((dimension) => DIMENSION_SQL[dimension].group);
  const limited = options.maxBuckets !== undefined;
  // The text is the access's (compiled once per viewer) and the dimensions', unless a filter
  // puts its values in it.
  const key = hasValues(filter) ? undefined : { scopes: [access], shape: `buckets:${unique.join(',')}:${limited ? 'limited' : 'all'}` };
  const statement = sql`select ${sql.join([...selects, sql`coalesce(sum(reports.n), 0)::int as count`], sql`, `)}
          from (${source}) reports
          ${unique.includes('ORG_UNIT') ? sql`left join org_units u on u.id = reports.org_unit_id` : sql``}
          ${unique.includes('AUTHOR') ? sql`left join people a on a.id = reports.author_id` : sql``}
          ${groups.length ? sql`group by ${sql.join(groups, sql`, `)} having sum(reports.n) > 0` : sql``}
          order by ${groups.length ? sql.join(groups, sql`, `) : sql`1`}
          ${limited ? sql`limit ${sql.placeholder('limit')}` : sql``}`;
  const read = preparedRead(db, key, () =>
    prepareStatement<Record<string, unknown>>(db, readsReportRows ? plannedPerExecution(statement) : statement, 'report_buckets'),
  );
  const found = await read.execute({ limit: limited ? options.maxBuckets + 1 : undefined });
  return found.map(toBucketRow);
}

/** Whether a filter sets anything (a filter of nulls puts nothing in the statement). */
function hasValues(filter: ReportFilterValues | null | undefined): boolean {
  return Object.values(filter ?? {}).some((value) => value !== null && value !== undefined);
}

/**
 * The naive source: every report the caller may count, one row each. It scans every report the
 * policy's OR cannot rule out by index, so it is the fallback, and the reference the counter
 * path is tested against.
 */
function matchingReports(scope: Scope, filter: ReportFilterValues | null | undefined): SQL | undefined {
  if (scope.kind === 'none') return undefined;
  // The policy condition and filters name the table "reports": no alias for it here.
  const condition = and(scopeCondition(scope), reportFilterSql(filter)) ?? sql`true`;
  return sql`select reports.status, reports.sensitivity, reports.org_unit_id, reports.author_id, reports.created_at, 1 as n
             from reports where ${condition}`;
}

/**
 * The counter source (policies/sql/report-cells.ts explains the classes). Unit counters hold
 * every report; each is counted when a stranger's report of that cell would be. Then two
 * corrections, each the difference between the right answer and the stranger's for the
 * reports of one class: the viewer's line and the viewer's own reports (ownReportsCorrection).
 * Counter and report tables are aliased "reports",
 * so the compiled conditions and filters name the same columns on each.
 *
 * By week, the unit part reads the week counters (their week stands in for created_at, which
 * the WEEK expression maps to itself). The line counters hold no week, so the line correction
 * then reads the line's report rows, only those whose answer differs from a stranger's.
 */
type Cells = NonNullable<CountAccess['cells']>;

function countedCells(cells: Cells, filter: ReportFilterValues | null | undefined, byWeek: boolean): SQL | undefined {
  const other = scopeCondition(cells.other);
  const filtered = reportFilterSql(filter) ?? sql`true`;
  const parts: SQL[] = [];
  if (cells.other.kind !== 'none') {
    parts.push(
      byWeek
        ? sql`select reports.status, reports.sensitivity, reports.org_unit_id, reports.week as created_at, reports.count as n
              from report_unit_week_counts reports where ${other} and ${filtered}`
        : sql`select reports.status, reports.sensitivity, reports.org_unit_id, null::timestamptz as created_at, reports.count as n
              from report_unit_counts reports where ${other} and ${filtered}`,
    );
  }
  if (cells.viewerId !== null && !sameConstant(cells.line, cells.other)) {
    const correction = sql`(${asInt(scopeCondition(cells.line))} - ${asInt(other)})`;
    parts.push(
      byWeek
        ? sql`select reports.status, reports.sensitivity, reports.org_unit_id, reports.created_at, ${correction} as n
              from reports join reporting_lines line on line.person_id = reports.author_id
              where line.manager_id = ${cells.viewerId} and ${filtered} and ${correction} <> 0`
        : sql`select reports.status, reports.sensitivity, reports.org_unit_id, null::timestamptz as created_at, reports.count * ${correction} as n
              from report_line_counts reports where reports.manager_id = ${cells.viewerId} and ${filtered}`,
    );
  }
  const own = ownReportsCorrection(cells, filtered);
  if (own) parts.push(own);
  return parts.length ? sql.join(parts, sql` union all `) : undefined;
}

/**
 * The viewer's own reports, counted as the rules say for them less as a stranger's would be:
 * rows, by the author index (a person writes tens, not millions). Undefined when no correction
 * is needed.
 */
function ownReportsCorrection(cells: Cells, filtered: SQL): SQL | undefined {
  const { ownRows } = cells;
  if (cells.viewerId === null || sameConstant(ownRows, cells.other)) return undefined;
  return sql`select reports.status, reports.sensitivity, reports.org_unit_id, reports.created_at,
               ${asInt(scopeCondition(ownRows))} - ${asInt(scopeCondition(cells.other))} as n
             from reports where reports.author_id = ${cells.viewerId} and ${filtered}`;
}

/**
 * The counter source without units. A report counts as the rules say for its author class and
 * whether its unit is the viewer's; so the totals of every cell count as if no unit were the
 * viewer's, then the viewer's unit is set right, each for strangers and again for the line:
 *
 *   cells × other@elsewhere
 *   + my unit's cells × (other@mine − other@elsewhere)
 *   + line cells × (line@elsewhere − other@elsewhere)
 *   + the line's cells of my unit × ((line@mine − other@mine) − (line@elsewhere − other@elsewhere))
 *   + the viewer's own reports, as in countedCells.
 *
 * Thirty-two counter rows and the viewer's own reports, whoever the viewer is.
 */
function countedTotals(cells: Cells, split: NonNullable<Cells['byUnit']>, filter: ReportFilterValues | null | undefined): SQL | undefined {
  // A viewer who may count nothing gets no rows at all, as from the report rows.
  if (cells.ownRows.kind === 'none') return undefined;
  const filtered = reportFilterSql(filter) ?? sql`true`;
  const int = (scope: Scope) => asInt(scopeCondition(scope));
  const otherElsewhere = int(split.otherElsewhere);
  const otherMine = int(split.otherMine);
  const lineDelta = sql`(${int(split.lineElsewhere)} - ${otherElsewhere})`;
  const counted = (weight: SQL) =>
    sql`select reports.status, reports.sensitivity, null::text as org_unit_id, null::timestamptz as created_at, reports.count * ${weight} as n`;
  const parts: SQL[] = [sql`${counted(otherElsewhere)} from report_cell_counts reports where ${filtered}`];
  if (split.unitId !== null) {
    parts.push(sql`${counted(sql`(${otherMine} - ${otherElsewhere})`)} from report_unit_counts reports
                   where reports.org_unit_id = ${split.unitId} and ${filtered}`);
  }
  if (cells.viewerId !== null) {
    parts.push(sql`${counted(lineDelta)} from report_line_cell_counts reports where reports.manager_id = ${cells.viewerId} and ${filtered}`);
    if (split.unitId !== null) {
      const mineDelta = sql`(${int(split.lineMine)} - ${otherMine})`;
      parts.push(sql`${counted(sql`(${mineDelta} - ${lineDelta})`)} from report_line_counts reports
                     where reports.manager_id = ${cells.viewerId} and reports.org_unit_id = ${split.unitId} and ${filtered}`);
    }
  }
  const own = ownReportsCorrection(cells, filtered);
  if (own) parts.push(own);
  return sql.join(parts, sql` union all `);
}

export type TrendInterval = 'DAY' | 'WEEK' | 'MONTH';

export interface TrendRow {
  readonly start: Date;
  readonly count: number;
}

/** Reports created per interval in [from, to), every interval present (zero-filled). */
export async function reportTrend(
  db: Executor,
  scope: Scope,
  interval: TrendInterval,
  range: { from: Date; to: Date },
  filter?: SQL,
): Promise<TrendRow[]> {
  const unit = interval.toLowerCase();
  const condition = and(scopeCondition(scope), filter) ?? sql`true`;
  const counted =
    scope.kind === 'none'
      ? sql`select null::timestamp as start, 0 as count where false`
      : sql`select date_trunc(${unit}, reports.created_at at time zone 'UTC') as start, count(*)::int as count
            from reports
            where ${condition} and reports.created_at >= ${range.from} and reports.created_at < ${range.to}
            group by 1`;
  const found = await rows<{ start: string | Date; count: number }>(
    db,
    sql`with counted as (${counted})
        select series.start at time zone 'UTC' as start, coalesce(counted.count, 0)::int as count
        from generate_series(
          date_trunc(${unit}, ${range.from}::timestamptz at time zone 'UTC'),
          (${range.to}::timestamptz - interval '1 millisecond') at time zone 'UTC',
          ('1 ' || ${unit})::interval) as series(start)
        left join counted on counted.start = series.start
        order by series.start`,
  );
  return found.map((row) => ({ start: new Date(row.start), count: Number(row.count) }));
}

/** 1 when the condition holds, else 0 (NULL counts as not holding, as in a WHERE). */
function asInt(condition: SQL): SQL {
  return sql`(coalesce(${condition}, false))::int`;
}

/** Both scopes the same constant: a correction between them is zero for every row, so skip it. */
function sameConstant(a: Scope, b: Scope): boolean {
  return a.kind !== 'where' && a.kind === b.kind;
}

function toBucketRow(row: Record<string, unknown>): BucketRow {
  return {
    status: (row.status as BucketRow['status']) ?? null,
    sensitivity: (row.sensitivity as BucketRow['sensitivity']) ?? null,
    orgUnitId: (row.orgUnitId as string | undefined) ?? null,
    orgUnitName: (row.orgUnitName as string | undefined) ?? null,
    authorId: (row.authorId as string | undefined) ?? null,
    authorName: (row.authorName as string | undefined) ?? null,
    week: row.week ? new Date(row.week as string) : null,
    count: Number(row.count),
  };
}
